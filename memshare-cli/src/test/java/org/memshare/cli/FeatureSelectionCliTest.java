package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.io.MsmFile;
import org.memshare.stats.MutualInformation;

/** {@code memshare demo} and {@code memshare select}, run in-process with real worker JVMs (or threads, where select chooses them). */
class FeatureSelectionCliTest {
    @RegisterExtension
    final CliHarness cli = new CliHarness();

    @AfterEach
    void restoreAndCheckNothingIsLeft() throws Exception {
        try (var files = Files.list(cli.directory())) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("memshare.")).toList(),
                "no segment left behind");
        }
        assertEquals(0, ProcessHandle.current().children().filter(ProcessHandle::isAlive).count(), "no worker left behind");
    }

    private CliHarness.CliRun run(String... args) {
        return cli.run(args);
    }

    @Test
    void demoFindsThePlantedFeatures() {
        CliHarness.CliRun r = run("demo", "--rows", "3000", "--features", "40", "--workers", "1", "--top", "5", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"planted_found_in_top\":5"), r.out());
        assertTrue(r.out().contains("\"peak_pss_bytes\":"), r.out());
        assertEquals(2, run("demo", "--workers", "0").code());
    }

    @Test
    void demoSavesItsDataSetAndSelectRanksItTheSame() throws Exception {
        Path saved = cli.directory().resolve("demo.csv");
        CliHarness.CliRun demo = run("demo", "--rows", "600", "--features", "12", "--workers", "1", "--top", "12",
            "--save", saved.toString(), "--json");
        assertEquals(0, demo.code(), demo.err());
        assertTrue(demo.err().contains("saved the data set to " + saved), demo.err());
        assertEquals(13, Files.readAllLines(saved).getFirst().split(",").length, "12 features and the target");
        CliHarness.CliRun select = run("select", "--input", saved.toString(), "--target", "class", "--discrete-target",
            "--workers", "1", "--json");
        assertEquals(0, select.code(), select.err());
        String demoFeatures = demo.out().substring(demo.out().indexOf("\"features\":"), demo.out().indexOf(",\"planted\""));
        assertEquals("{\"target\":\"class\"," + demoFeatures + "}", select.out().strip(),
            "the same scores, to the last bit, from the saved file");
    }

    /** A CSV whose column "b" depends on the target, "a" a little, "noise" not at all; "g" is discrete. */
    private Path writeCsv(int rows) throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder csv = new StringBuilder("noise,a,target,b,g\n");
        for (int i = 0; i < rows; i++) {
            int cls = random.nextInt(3);
            double noise = random.nextGaussian();
            double a = 0.3 * cls + random.nextGaussian();
            double b = 2.0 * cls + random.nextGaussian();
            int g = (cls + (random.nextInt(4) == 0 ? 1 : 0)) % 3;
            csv.append(i == 5 ? "NA" : Double.toString(noise)).append(',').append(a).append(',').append(cls)
                .append(',').append(b).append(',').append(g).append('\n');
        }
        Path file = cli.directory().resolve("features.csv");
        Files.writeString(file, csv);
        return file;
    }

    @Test
    void selectRanksCsvFeaturesWithFullPrecisionJson() throws Exception {
        Path csv = writeCsv(1500);
        CliHarness.CliRun r = run("select", "--input", csv.toString(), "--target", "target", "--discrete-target",
            "--discrete-features", "g", "--workers", "2", "--json");
        assertEquals(0, r.code(), r.err());
        Matcher m = Pattern.compile("\\{\"name\":\"(\\w+)\",\"mi\":([-0-9.E]+)}").matcher(r.out());
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
            values.add(Double.parseDouble(m.group(2)));
        }
        assertTrue(r.out().startsWith("{\"target\":\"target\",\"features\":["), r.out());
        assertEquals(List.of("b", "g", "a", "noise"), names, r.out());
        for (int k = 1; k < values.size(); k++) {
            assertTrue(values.get(k - 1) >= values.get(k), "highest first: " + values);
        }
        double[][] columns = readColumns(csv);
        double expectedB = MutualInformation.mutualinfo(columns[3], columns[2], false, true, MutualInformation.DEFAULT_EPS, true);
        assertEquals(expectedB, values.get(0), 0.0, "the exact value, full precision");
        double expectedNoise = MutualInformation.mutualinfo(columns[0], columns[2], false, true, MutualInformation.DEFAULT_EPS, true);
        assertEquals(expectedNoise, values.get(3), 0.0, "missing values are dropped pairwise");
    }

    /** Worker JVMs, threads of the command's JVM, or the automatic choice: the same ranking, to the last bit. */
    @Test
    void whereSelectRanksChangesNothingInTheResult() throws Exception {
        Path csv = writeCsv(1500);
        List<String> args = List.of("select", "--input", csv.toString(), "--target", "target", "--discrete-target",
            "--discrete-features", "g", "--workers", "2");
        CliHarness.CliRun auto = run(with(args, "--json"));
        CliHarness.CliRun processes = run(with(args, "--json", "--cluster", "processes"));
        CliHarness.CliRun threads = run(with(args, "--json", "--cluster", "THREADS"));
        assertEquals(0, auto.code() + processes.code() + threads.code(), auto.err() + processes.err() + threads.err());
        assertEquals(processes.out(), auto.out());
        assertEquals(processes.out(), threads.out());
        // A small matrix ranks on threads by default; worker JVM options or --cluster processes choose worker JVMs.
        assertTrue(run(args.toArray(String[]::new)).out().contains(" on 2 thread(s) of this JVM"));
        assertTrue(run(with(args, "--worker-jvm-option=-Xss1m")).out().contains(" on 2 worker JVM(s)"));
        assertTrue(run(with(args, "--cluster", "processes")).out().contains(" on 2 worker JVM(s) with 1 thread(s) each"));
        // One worker JVM computing on two threads: the same ranking, to the last bit.
        List<String> oneJvm = List.of("select", "--input", csv.toString(), "--target", "target", "--discrete-target",
            "--discrete-features", "g", "--workers", "1", "--threads-per-worker", "2");
        CliHarness.CliRun threaded = run(with(oneJvm, "--json", "--cluster", "processes"));
        assertEquals(0, threaded.code(), threaded.err());
        assertEquals(processes.out(), threaded.out());
        assertTrue(run(oneJvm.toArray(String[]::new)).out().contains(" on 1 worker JVM(s) with 2 thread(s) each"),
            "--threads-per-worker asks for worker JVMs under auto");
        CliHarness.CliRun threadsOfThisJvm = run(with(oneJvm, "--cluster", "threads"));
        assertEquals(2, threadsOfThisJvm.code());
        assertTrue(threadsOfThisJvm.err().contains("--threads-per-worker is for worker JVMs"), threadsOfThisJvm.err());
        CliHarness.CliRun unknown = run(with(args, "--cluster", "gpu"));
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("--cluster must be auto, processes or threads: cluster=gpu"), unknown.err());
    }

    private static String[] with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void selectReadsTheBinaryFormatToo() throws Exception {
        Path bin = cli.directory().resolve("m.msm");
        double[] values = new double[300 * 3];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 300; i++) {
            double cls = random.nextInt(2);
            values[i] = cls;
            values[300 + i] = cls * 3 + random.nextGaussian();
            values[600 + i] = random.nextGaussian();
        }
        MsmFile.write(bin, 300, 3, List.of("y", "signal", "noise"), values);
        CliHarness.CliRun r = run("select", "--input", bin.toString(), "--target", "y", "--discrete-target", "--workers", "1", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().indexOf("\"signal\"") < r.out().indexOf("\"noise\""), r.out());
    }

    @Test
    void aDiscreteTargetMayHoldTextLabels() throws Exception {
        SplittableRandom random = new SplittableRandom(9);
        String[] names = {"setosa", "versicolor", "virginica"};
        StringBuilder csv = new StringBuilder("species,signal,noise\n");
        double[] codes = new double[600];
        double[] signal = new double[600];
        for (int i = 0; i < 600; i++) {
            int cls = random.nextInt(3);
            codes[i] = cls; // the sorted order of the labels is the order of names
            signal[i] = cls * 2.0 + random.nextGaussian();
            csv.append(i == 7 ? "NA" : "\"" + names[cls] + "\"").append(',').append(signal[i]).append(',')
                .append(random.nextGaussian()).append('\n');
        }
        codes[7] = Double.NaN;
        Path file = cli.directory().resolve("iris.csv");
        Files.writeString(file, csv);
        CliHarness.CliRun r = run("select", "--input", file.toString(), "--target", "species", "--discrete-target",
            "--workers", "1", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("target classes: [setosa, versicolor, virginica]"), r.err());
        double expected = MutualInformation.mutualinfo(signal, codes, false, true, MutualInformation.DEFAULT_EPS, true);
        assertTrue(r.out().startsWith("{\"target\":\"species\",\"features\":[{\"name\":\"signal\",\"mi\":" + expected + "}"),
            r.out());
        CliHarness.CliRun continuous = run("select", "--input", file.toString(), "--target", "species", "--workers", "1");
        assertEquals(1, continuous.code(), "a continuous target must be numeric");
        assertTrue(continuous.err().contains("not a number"), continuous.err());
    }

    @Test
    void rowNamesFromRTextLabelsInDiscreteFeaturesAndInfinitiesAreRead() throws Exception {
        SplittableRandom random = new SplittableRandom(21);
        StringBuilder csv = new StringBuilder("\"\",\"y\",\"colour\",\"x\"\n"); // R's write.csv: row names first
        double[] y = new double[400];
        double[] colour = new double[400];
        for (int i = 0; i < 400; i++) {
            int cls = random.nextInt(2);
            y[i] = cls;
            int c = random.nextInt(10) < 8 ? cls : 1 - cls;
            colour[i] = c; // "blue" < "red": blue is 0
            String x = i == 3 ? "Inf" : i == 4 ? "-Inf" : Double.toString(random.nextGaussian());
            csv.append('"').append(i + 1).append("\",").append(cls).append(",\"").append(c == 0 ? "blue" : "red")
                .append("\",").append(x).append('\n');
        }
        Path file = cli.directory().resolve("r.csv");
        Files.writeString(file, csv);
        CliHarness.CliRun r = run("select", "--input", file.toString(), "--target", "y", "--discrete-target",
            "--discrete-features", "colour", "--workers", "4", "--json");
        assertEquals(0, r.code(), r.err());
        double expected = MutualInformation.mutualinfo(colour, y, true, true, MutualInformation.DEFAULT_EPS, true);
        assertTrue(r.out().startsWith("{\"target\":\"y\",\"features\":[{\"name\":\"colour\",\"mi\":" + expected + "}"),
            r.out());
        assertTrue(r.out().contains("\"name\":\"x\""), r.out());
        assertTrue(!r.out().contains("\"name\":\"\""), "the row-name column is not a feature: " + r.out());
    }

    @Test
    void selectBadInputIsAClearError() throws Exception {
        Path csv = writeCsv(50);
        CliHarness.CliRun missingTarget = run("select", "--input", csv.toString(), "--target", "nope");
        assertEquals(1, missingTarget.code());
        assertTrue(missingTarget.err().contains("no such column: column=nope"), missingTarget.err());
        assertEquals(2, run("select", "--input", csv.toString(), "--target", "target", "--workers", "0").code());
        assertEquals(2, run("select", "--target", "target").code());

        Path bad = cli.directory().resolve("bad.csv");
        Files.writeString(bad, "x,y\n1,0\n2,1\nthree,0\n");
        CliHarness.CliRun badCell = run("select", "--input", bad.toString(), "--target", "y");
        assertEquals(1, badCell.code());
        assertTrue(badCell.err().contains("line=4") && badCell.err().contains("column=1"), badCell.err());

        Path empty = cli.directory().resolve("empty.csv");
        Files.writeString(empty, "");
        CliHarness.CliRun emptyFile = run("select", "--input", empty.toString(), "--target", "y");
        assertEquals(1, emptyFile.code());
        assertTrue(emptyFile.err().contains("file is empty"), emptyFile.err());

        Path allMissing = cli.directory().resolve("missing.csv");
        Files.writeString(allMissing, "x,y\n1,NA\n2,\n3,NaN\n");
        CliHarness.CliRun noTarget = run("select", "--input", allMissing.toString(), "--target", "y");
        assertEquals(1, noTarget.code());
        assertTrue(noTarget.err().contains("all missing"), noTarget.err());
    }

    private static double[][] readColumns(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        int n = lines.size() - 1;
        int p = lines.getFirst().split(",").length;
        double[][] columns = new double[p][n];
        for (int i = 0; i < n; i++) {
            String[] cells = lines.get(i + 1).split(",");
            for (int j = 0; j < p; j++) {
                columns[j][i] = cells[j].equals("NA") ? Double.NaN : Double.parseDouble(cells[j]);
            }
        }
        return columns;
    }
}

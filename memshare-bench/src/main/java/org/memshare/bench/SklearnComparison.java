package org.memshare.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.memshare.apply.Cluster;
import org.memshare.apply.ProcessCluster;
import org.memshare.cli.CsvOutput;
import org.memshare.cli.FeatureRanking;
import org.memshare.cli.PythonWithNumpy;
import org.memshare.cli.ReportOptions;
import org.memshare.cli.SyntheticData;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;

/**
 * The peer users reach for: scikit-learn's {@code mutual_info_classif} on 5,000 × 400 features with a
 * 4-class target, against memshare's ranking of the same data. {@code vs_sklearn_compute}: their call on
 * the data in memory / our ranking of the data already in shared memory on a warm 2-worker cluster
 * (median of three calls after four warm-up calls, which the workers' JIT needs to settle);
 * {@code vs_sklearn_end_to_end}: their call / our {@code select} command on the same CSV in a fresh JVM
 * started as {@code ./memshare} starts it (start, reading the file and ranking where {@code select}
 * chooses included). Skipped, saying so, without Python's sklearn.
 */
final class SklearnComparison {
    static final int ROWS = 5_000;
    static final int FEATURES = 400;
    private static final int WARM_UP_CALLS = 4;
    private static final int TIMED_CALLS = 3;

    /** Times only the call; loading the CSV and importing are outside the measurement. */
    private static final String SKLEARN_CALL = """
        import sys, time
        import numpy as np
        from sklearn.feature_selection import mutual_info_classif
        data = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
        y = data[:, 0].astype(int)
        X = data[:, 1:]
        mutual_info_classif(X[:200, :4], y[:200], random_state=0)
        start = time.perf_counter()
        mutual_info_classif(X, y, random_state=0)
        print(time.perf_counter() - start)
        """;

    private SklearnComparison() {
    }

    static void run(MemShare memShare, String namespace, ReportOptions report, Map<String, Object> figures) {
        PrintWriter log = report.log();
        Optional<String> python = PythonWithNumpy.find().filter(SklearnComparison::hasSklearn);
        if (python.isEmpty()) {
            log.println("scikit-learn comparison skipped: no python3 with numpy and sklearn found"
                + " (Debian: apt-get install python3-sklearn); vs_sklearn_compute and vs_sklearn_end_to_end omitted");
            return;
        }
        Path csv = null;
        try {
            SyntheticData data = SyntheticData.register(memShare, namespace, "S", ROWS, FEATURES, 4, 5, 17);
            csv = Files.createTempFile("memshare-bench-", ".csv");
            writeCsv(memShare, namespace, data, csv);
            double ours;
            try (ProcessCluster cluster = Cluster.processes(2, memShare)) {
                cluster.awaitReady();
                // A warm cluster: the workers' JIT needs a few calls of 400 features to settle.
                for (int warm = 0; warm < WARM_UP_CALLS; warm++) {
                    score(cluster, namespace, data);
                }
                double[] seconds = new double[TIMED_CALLS];
                for (int call = 0; call < TIMED_CALLS; call++) {
                    long start = System.nanoTime();
                    score(cluster, namespace, data);
                    seconds[call] = (System.nanoTime() - start) / 1e9;
                }
                ours = Benchmark.median(seconds);
            }
            memShare.releaseNamespace(namespace);
            SelectTiming select = selectCommand(csv);
            double endToEnd = select.seconds();
            String output = PythonWithNumpy.run(python.get(), SKLEARN_CALL, csv.toString()).strip();
            double theirs = Double.parseDouble(output.substring(output.lastIndexOf('\n') + 1).strip());
            log.printf("scikit-learn mutual_info_classif, %,d x %,d, 4 classes: %.2f s; our ranking on 2 warm workers"
                + " %.3f s (median of 3 after 4 warm-up calls; ratio %.0fx); our select command from the CSV, JVM start included, %.2f s (ratio %.1fx; %s)%n",
                ROWS, FEATURES, theirs, ours, theirs / ours, endToEnd, theirs / endToEnd, select.summary());
            figures.put("vs_sklearn_compute", theirs / ours);
            figures.put("vs_sklearn_end_to_end", theirs / endToEnd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the scikit-learn comparison", e);
        } finally {
            memShare.releaseNamespace(namespace);
            if (csv != null) {
                try {
                    Files.deleteIfExists(csv);
                } catch (IOException e) {
                    log.println("could not delete " + csv + ": " + e.getMessage());
                }
            }
        }
    }

    private static void score(ProcessCluster cluster, String namespace, SyntheticData data) {
        FeatureRanking.score(cluster, namespace, "S", data.featureNames(), false, data.target(), true,
            (done, total) -> { }, 0, FEATURES);
    }

    private static boolean hasSklearn(String python) {
        try {
            PythonWithNumpy.run(python, "import sklearn.feature_selection\n");
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Target first (column y), then the features, full double precision. */
    private static void writeCsv(MemShare memShare, String namespace, SyntheticData data, Path csv) throws IOException {
        List<String> names = new ArrayList<>(List.of("y"));
        names.addAll(data.featureNames());
        try (MatrixView matrix = memShare.retrieveMatrix(namespace, "S")) {
            CsvOutput.writeMatrix(csv, names, ROWS, (i, j) -> j == 0 ? data.target()[(int) i] : matrix.get(i, j - 1));
        }
    }

    /**
     * Runs {@code select} in a fresh JVM on the class path of this one, started with this JVM's options
     * (those {@code ./memshare} chose, and {@code MEMSHARE_JAVA_OPTS}), as {@code ./memshare select} would.
     * It ranks where {@code select} chooses by default ({@code --cluster auto}), on 2 workers.
     *
     * @return the wall seconds, and {@code select}'s summary line (where it ranked)
     */
    private static SelectTiming selectCommand(Path csv) throws IOException, InterruptedException {
        List<String> command = MiBenchmark.freshJvm(MiBenchmark.parentOptions(), "org.memshare.cli.Main", List.of(
            "select", "--input", csv.toString(), "--target", "y", "--discrete-target", "--workers", "2", "--top", "5"));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("select did not finish within 10 minutes: input=" + csv);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (process.exitValue() != 0) {
            throw new IOException(String.format(Locale.ROOT, "select failed: exit=%d, output=%s", process.exitValue(),
                output.strip()));
        }
        String summary = output.lines().filter(line -> line.matches("\\d+ features in .*")).findFirst().orElse("");
        return new SelectTiming(seconds, summary);
    }

    /**
     * @param seconds wall time of the command, JVM start to exit
     * @param summary its last line, {@code 400 features in 0.52 s on 2 thread(s) of this JVM}
     */
    private record SelectTiming(double seconds, String summary) {
    }
}

package org.memshare.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.SparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.cli.Main;
import org.memshare.registry.MemShare;
import org.memshare.registry.SegmentCensus;
import org.memshare.registry.StorageLayout;
import org.memshare.testing.TempShm;

/**
 * {@code memshare select --spark spark://…} through the real command line, on a real standalone
 * cluster (a Master and two Workers on this host, one executor JVM each per application): the same
 * features in the same order with the same mutual information (1e-12 relative) as the local run, every
 * input option of the local run honoured (delimiter, target by index, discrete features, missing
 * values), one copy of the matrix on the host while both executors compute, and nothing left in the
 * segment directory after the application ends.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SparkSelectTest {
    private static final Duration EXECUTORS_EXIT = Duration.ofSeconds(40);

    @RegisterExtension
    final TempShm segments = TempShm.systemDirectory();

    private static StandaloneCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new StandaloneCluster();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * A table with a continuous target y, twelve continuous features, a labelled feature and a class
     * column; with {@code missing}, some cells are {@code NA} or empty.
     */
    static Path writeData(Path file, char delimiter, boolean missing) throws IOException {
        Random random = new Random(5);
        StringBuilder csv = new StringBuilder("y");
        for (int j = 0; j < 12; j++) {
            csv.append(delimiter).append('f').append(j);
        }
        csv.append(delimiter).append("colour").append(delimiter).append("class\n");
        for (int i = 0; i < 600; i++) {
            double[] f = new double[12];
            for (int j = 0; j < f.length; j++) {
                f[j] = random.nextGaussian();
            }
            double y = 2 * f[0] + f[3] + random.nextGaussian() / 2;
            csv.append(y);
            for (int j = 0; j < f.length; j++) {
                boolean absent = missing && (i * 7 + j) % 53 == 0;
                csv.append(delimiter).append(absent ? (i % 2 == 0 ? "NA" : "") : Double.toString(f[j]));
            }
            csv.append(delimiter).append(new String[] {"red", "green", "blue"}[(int) (Math.abs(f[5]) * 2) % 3]);
            csv.append(delimiter).append(y > 0 ? "yes" : "no").append('\n');
        }
        return Files.writeString(file, csv);
    }

    /** @return exit code, standard output and standard error of one command line run */
    private record SelectRun(int code, String out, String err) {
        JsonNode json() throws IOException {
            assertEquals(0, code, () -> "exit code; stderr: " + err);
            return new ObjectMapper().readTree(out);
        }
    }

    private static SelectRun run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new SelectRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertSameRanking(JsonNode local, JsonNode spark) {
        assertEquals(local.get("target"), spark.get("target"));
        JsonNode expected = local.get("features");
        JsonNode actual = spark.get("features");
        assertEquals(expected.size(), actual.size());
        for (int k = 0; k < expected.size(); k++) {
            assertEquals(expected.get(k).get("name").asText(), actual.get(k).get("name").asText(), "rank " + (k + 1));
            double e = expected.get(k).get("mi").asDouble();
            double a = actual.get(k).get("mi").asDouble();
            assertTrue(Math.abs(a - e) <= 1e-12 * Math.abs(e), "mi of " + expected.get(k).get("name") + ": " + a + " vs " + e);
        }
    }

    /** Waits until the ended application's executors have left the segment directory empty. */
    private void assertNothingLeft() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + EXECUTORS_EXIT.toNanos();
        List<String> left = listing();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            left = listing();
        }
        assertEquals(List.of(), left, "left in the segment directory after the application ended");
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(segments.directory())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void continuousTargetRanksAsTheLocalRunFromOneCopyOnTheHost(@TempDir Path files) throws Exception {
        String input = writeData(files.resolve("data.csv"), ',', false).toString();
        JsonNode local = run("select", "--input", input, "--target", "y", "--discrete-features", "colour,class",
            "--workers", "2", "--json").json();

        // Watch the segment directory while the job runs: the feature matrix is there once in each
        // layout (memshare's for the executors, R's for R processes: --r-layout), never twice.
        MemShare memShare = MemShare.forDirectory(segments.directory());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger mostCopies = new AtomicInteger();
        AtomicInteger mostRCopies = new AtomicInteger();
        CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
            while (running.get()) {
                List<SegmentCensus.Entry> x = memShare.census().list().stream().filter(e -> e.name().variable().equals("X")).toList();
                mostCopies.accumulateAndGet((int) x.stream().filter(e -> e.layout() == StorageLayout.MEMSHARE).count(), Math::max);
                mostRCopies.accumulateAndGet((int) x.stream().filter(e -> e.layout() == StorageLayout.R_MEMSHARE).count(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        SelectRun spark;
        try {
            spark = run("select", "--input", input, "--target", "y", "--discrete-features", "colour,class",
                "--spark", cluster.master(), "--r-layout", "--json");
        } finally {
            running.set(false);
            watcher.get(10, TimeUnit.SECONDS);
        }
        assertEquals(14, spark.json().get("features").size());
        assertSameRanking(local, spark.json());
        assertTrue(spark.err().contains("on " + cluster.master()), spark.err());
        assertEquals(1, mostCopies.get(), "copies of the feature matrix seen on the host at once");
        assertEquals(1, mostRCopies.get(), "R-layout copies of the feature matrix seen on the host at once");
        assertTrue(spark.err().contains("R namespace spark-"), spark.err());
        assertNothingLeft();
    }

    @Test
    void discreteTextTargetRanksAsTheLocalRun(@TempDir Path files) throws Exception {
        String input = writeData(files.resolve("data.csv"), ',', false).toString();
        JsonNode local = run("select", "--input", input, "--target", "class", "--discrete-target",
            "--discrete-features", "colour", "--workers", "2", "--json").json();
        JsonNode spark = run("select", "--input", input, "--target", "class", "--discrete-target",
            "--discrete-features", "colour", "--spark", cluster.master(), "--json").json();
        assertSameRanking(local, spark);
        assertNothingLeft();
    }

    @Test
    void delimiterTargetByIndexAndMissingValuesAsTheLocalRun(@TempDir Path files) throws Exception {
        String input = writeData(files.resolve("data.tsv"), '\t', true).toString();
        // Column 1 is y; 14 is colour (a discrete feature by index).
        String[] options = {"--input", input, "--delimiter", "\\t", "--target", "1", "--discrete-features", "14,class", "--json"};
        JsonNode local = run(Stream.concat(Stream.of("select", "--workers", "2"), Stream.of(options)).toArray(String[]::new)).json();
        JsonNode spark = run(Stream.concat(Stream.of("select", "--spark", cluster.master()), Stream.of(options))
            .toArray(String[]::new)).json();
        assertEquals("y", spark.get("target").asText());
        assertSameRanking(local, spark);
        assertNothingLeft();
    }

    @Test
    void optionsSparkCannotHonourAreUsageErrors() {
        SelectRun shared = run("select", "--namespace", "ns", "--name", "X", "--target", "y", "--spark", cluster.master());
        assertEquals(2, shared.code(), shared.err());
        assertTrue(shared.err().contains("--spark ranks a file") && shared.err().contains("--namespace/--name"), shared.err());
        SelectRun workers = run("select", "--input", "x.csv", "--target", "y", "--workers", "2", "--spark", cluster.master());
        assertEquals(2, workers.code(), workers.err());
        assertTrue(workers.err().contains("--workers, --threads-per-worker and --worker-jvm-option"), workers.err());
        SelectRun threads = run("select", "--input", "x.csv", "--target", "y", "--threads-per-worker", "2", "--spark",
            cluster.master());
        assertEquals(2, threads.code(), threads.err());
        SelectRun rLayout = run("select", "--input", "x.csv", "--target", "y", "--r-layout");
        assertEquals(2, rLayout.code(), rLayout.err());
        assertTrue(rLayout.err().contains("--r-layout publishes the Spark hosts' copies for R"), rLayout.err());
        SelectRun jvm = run("select", "--input", "x.csv", "--target", "y", "--worker-jvm-option=-Xmx1g", "--spark", cluster.master());
        assertEquals(2, jvm.code(), jvm.err());
    }

    @Test
    void twoExecutorsOnTheHostComputeFromOneCopy(@TempDir Path files) throws Exception {
        double[][] rows = TestCluster.matrix(200, 24, 3);
        Path csv = TestCluster.writeCsv(files.resolve("x.csv"), rows);
        SparkContext sc = new SparkContext(SparkSetup.conf(cluster.master(), "SparkSelectTest"));
        try (SparkShare share = SparkShare.open(sc)) {
            share.register("X", SparkSource.file(csv.toString()));
            List<double[]> results = share.memApply("X").columns().tasks(12).run((column, vars) -> {
                Thread.sleep(40); // long enough that both executors get tasks
                return new double[] {column.sum(), ProcessHandle.current().pid()};
            });
            Set<Long> pids = new HashSet<>();
            for (int j = 0; j < rows[0].length; j++) {
                double sum = 0;
                for (double[] row : rows) {
                    sum += row[j];
                }
                assertEquals(sum, results.get(j)[0], 1e-9 * Math.abs(sum) + 1e-12, "column " + j);
                pids.add((long) results.get(j)[1]);
            }
            assertEquals(2, pids.size(), "both executors computed tasks: pids=" + pids);
            List<SegmentCensus.Entry> copies = MemShare.forDirectory(segments.directory()).census().list();
            assertEquals(1, copies.size(), "one copy on the host: " + copies);
            assertTrue(pids.contains(copies.getFirst().owner().pid()), "an executor loaded it: " + copies);
        } finally {
            sc.stop();
        }
        assertNothingLeft();
    }
}

package org.memshare.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.SparkContext;
import org.memshare.registry.MemShare;
import org.memshare.registry.SegmentCensus;
import org.memshare.segment.SegmentDirectory;
import org.memshare.testing.TempShm;

/**
 * A real Spark cluster on this machine for one test class: {@code local-cluster[2,1,1024]} (a master,
 * two workers and two executor JVMs), with a private segment directory in {@code /dev/shm} that the
 * executors use too. Stopped and removed by {@link #close()}, which waits for the executors to exit.
 */
final class TestCluster implements AutoCloseable {
    final Path directory;
    final SparkContext sc;

    TestCluster(String name) throws IOException {
        directory = Files.createTempDirectory(Path.of("/dev/shm"), "memshare-spark-test-");
        System.setProperty(SegmentDirectory.PROPERTY, directory.toString());
        SparkContext started;
        try {
            started = new SparkContext(SparkSetup.conf("local-cluster[2,1,1024]", name)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1"));
        } catch (RuntimeException | Error e) {
            TempShm.deleteRecursively(directory);
            throw e;
        }
        sc = started;
    }

    /** @return the census of the private segment directory */
    List<SegmentCensus.Entry> segments() {
        return MemShare.forDirectory(directory).census().list();
    }

    /** @return the segments of one namespace */
    List<SegmentCensus.Entry> segments(String namespace) {
        return segments().stream().filter(e -> e.name().namespace().equals(namespace)).toList();
    }

    /** Writes a CSV matrix file (exact round trip of the doubles), rows given row by row. */
    static Path writeCsv(Path file, double[][] rows) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < rows[0].length; j++) {
            text.append(j == 0 ? "" : ",").append("c").append(j);
        }
        text.append('\n');
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                text.append(j == 0 ? "" : ",").append(Double.toString(row[j]));
            }
            text.append('\n');
        }
        return Files.writeString(file, text);
    }

    /** @return the repository's Python package directory, for Python processes on the host ({@code PYTHONPATH}) */
    static Path pythonPackage() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("python/memshare/__init__.py"))) {
                return dir.resolve("python");
            }
        }
        throw new IllegalStateException("python/memshare not found above " + Path.of("").toAbsolutePath());
    }

    /** A matrix of reproducible values. */
    static double[][] matrix(int nrow, int ncol, long seed) {
        Random random = new Random(seed);
        double[][] rows = new double[nrow][ncol];
        for (double[] row : rows) {
            for (int j = 0; j < ncol; j++) {
                row[j] = random.nextGaussian() * (j + 1);
            }
        }
        return rows;
    }

    /** Stops the application, waits until the executors left nothing in the directory or the timeout passes. */
    void stopAndAwaitNoSegments(Duration timeout) throws InterruptedException, IOException {
        if (!sc.isStopped()) {
            sc.stop();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!listing().equals("[]") && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        try {
            stopAndAwaitNoSegments(Duration.ofSeconds(30));
        } finally {
            System.clearProperty(SegmentDirectory.PROPERTY);
            TempShm.deleteRecursively(directory);
        }
    }

    /** @return the directory's files, for failure messages */
    String listing() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return String.format(Locale.ROOT, "%s", files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}

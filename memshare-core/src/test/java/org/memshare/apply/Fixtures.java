package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.memshare.registry.VectorView;
import org.memshare.testing.Patience;

/** Data, serial reference computations and process checks shared by the apply tests. */
final class Fixtures {
    private Fixtures() {
    }

    static double[][] randomRows(int nrow, int ncol, long seed) {
        Random random = new Random(seed);
        double[][] rows = new double[nrow][ncol];
        for (double[] row : rows) {
            for (int j = 0; j < ncol; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return rows;
    }

    static double[] random(int n, long seed) {
        Random random = new Random(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }

    static double[] column(double[][] rows, int j) {
        double[] c = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            c[i] = rows[i][j];
        }
        return c;
    }

    /** Pearson correlation, written once for arrays and views so both paths compute the same way. */
    static double correlation(double[] x, double[] y) {
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    static double correlation(VectorView x, VectorView y) {
        return correlation(x.toDoubleArray(), y.toDoubleArray());
    }

    static double mean(VectorView v) {
        return v.sum() / v.length();
    }

    /** A weighted sum that depends on element order, so a transposed or misordered slice shows. */
    static double weighted(VectorView v) {
        double s = 0;
        for (long i = 0; i < v.length(); i++) {
            s += (i + 1) * v.get(i);
        }
        return s;
    }

    static double weighted(double[] v) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += (i + 1) * v[i];
        }
        return s;
    }

    static void assertClose(List<Double> expected, List<Double> actual, double tolerance) {
        assertEquals(expected.size(), actual.size(), "size");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), tolerance, "index " + i);
        }
    }

    static List<String> files(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long openFiles(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines of /proc/PID/maps that map a file of {@code directory}. */
    static long mappings(long pid, Path directory) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/" + pid + "/maps"))) {
            String prefix = directory.toString();
            return lines.filter(l -> l.contains(prefix)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The longest a worker that keeps mappings between calls may take to drop those of released
     * variables: its check every {@link WorkerMain#STALE_CHECK_MILLIS} ms, plus
     * {@link Patience#PROMPT_MILLIS} for a loaded machine, where a JVM may not be scheduled for seconds.
     */
    static final long MAPPING_RELEASE_MILLIS = WorkerMain.STALE_CHECK_MILLIS + Patience.PROMPT_MILLIS;

    /**
     * Waits (at most {@link #MAPPING_RELEASE_MILLIS}) until a worker maps no file of {@code directory}.
     *
     * @return the mappings left at the deadline (0 when all went)
     */
    static long awaitNoMappings(long pid, Path directory) throws InterruptedException {
        return awaitMappingsAtMost(pid, directory, 0);
    }

    /**
     * Waits (at most {@link #MAPPING_RELEASE_MILLIS}) until a worker maps at most {@code most} files of
     * {@code directory}.
     *
     * @return the mappings at the end of the wait
     */
    static long awaitMappingsAtMost(long pid, Path directory, long most) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAPPING_RELEASE_MILLIS);
        long left = mappings(pid, directory);
        while (left > most && System.nanoTime() < deadline) {
            Thread.sleep(10);
            left = mappings(pid, directory);
        }
        return left;
    }

    /** Worker JVMs (children running WorkerMain) of this process that are alive. */
    static List<ProcessHandle> liveWorkers() {
        return ProcessHandle.current().descendants()
            .filter(ProcessHandle::isAlive)
            .filter(p -> p.info().arguments().map(a -> List.of(a).contains(WorkerMain.class.getName())).orElse(false))
            .toList();
    }
}

package org.memshare.bench;

import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.memshare.cli.PythonWithNumpy;
import org.memshare.cli.ReportOptions;
import org.memshare.format.ElementType;
import org.memshare.format.Kind;
import org.memshare.format.SegmentLayout;
import org.memshare.format.Shape;
import org.memshare.registry.MemShare;
import org.memshare.registry.View;
import org.memshare.segment.ProcessIdentity;
import org.memshare.segment.StoreKind;

/**
 * {@code bench core}: register throughput for an 800 MB double matrix against NumPy copying into
 * {@code multiprocessing.shared_memory} in the same run, and retrieve-view latency for a 1 KB and an
 * 800 MB variable against opening and closing the same file. With the file store, where a memory
 * cgroup can be made, also column sums through views over a matrix twice the memory a child JVM may
 * use, against that child reading the same file with {@code FileChannel.read}.
 */
final class CoreBenchmark implements Benchmark {
    private static final String NAMESPACE = "bench" + ProcessHandle.current().pid();

    private static final String NUMPY_COPY = """
        import sys, time, numpy as np
        from multiprocessing import shared_memory
        n, reps = int(sys.argv[1]), int(sys.argv[2])
        src = np.arange(n, dtype=np.float64) * 0.5
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            shm = shared_memory.SharedMemory(create=True, size=src.nbytes)
            dst = np.ndarray(src.shape, dtype=src.dtype, buffer=shm.buf)
            dst[:] = src
            times.append(time.perf_counter() - t)
            del dst
            shm.close()
            shm.unlink()
        times.sort()
        print(times[len(times) // 2])
        """;

    @Override
    public String name() {
        return "core";
    }

    @Override
    public String summary() {
        return "register throughput (800 MB) vs NumPy, retrieve-view latency (1 KB, 800 MB)";
    }

    @Override
    public Map<String, Object> run(boolean quick, ReportOptions report) throws Exception {
        PrintWriter log = report.log();
        MemShare memShare = MemShare.system();
        int elements = quick ? 10_000_000 : 100_000_000;
        int reps = quick ? 3 : 5;
        long bytes = elements * 8L;
        double[] data = new double[elements];
        for (int i = 0; i < elements; i++) {
            data[i] = i * 0.5;
        }
        int ncol = 1000;
        org.memshare.registry.Variable matrix = org.memshare.registry.Variable.matrix(elements / ncol, ncol, data);
        log.printf("store %s in %s%n", memShare.store().kind().label(), memShare.store().directory());
        log.printf("register: %d MB double matrix, %d repetitions%n", bytes >> 20, reps);
        double[] seconds = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t = System.nanoTime();
            memShare.register(NAMESPACE, "big", matrix);
            seconds[r] = (System.nanoTime() - t) / 1e9;
            memShare.releaseVariables(NAMESPACE, "big");
        }
        double registerSeconds = Benchmark.median(seconds);
        double registerGbps = bytes / registerSeconds / 1e9;
        log.printf("  memshare register: %.3f s median = %.2f GB/s%n", registerSeconds, registerGbps);

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("register_gbps", registerGbps);
        Optional<String> python = PythonWithNumpy.find();
        if (python.isPresent()) {
            double numpySeconds = Double.parseDouble(PythonWithNumpy.run(python.get(), NUMPY_COPY, Integer.toString(elements),
                Integer.toString(reps)).strip());
            double numpyGbps = bytes / numpySeconds / 1e9;
            figures.put("register_vs_numpy", registerGbps / numpyGbps);
            figures.put("numpy_gbps", numpyGbps);
            log.printf("  NumPy into SharedMemory: %.3f s median = %.2f GB/s; ratio memshare/NumPy = %.2f%n",
                numpySeconds, numpyGbps, registerGbps / numpyGbps);
        } else {
            log.println("  NumPy baseline skipped: no python3 with numpy found (install python3-numpy)");
        }

        memShare.register(NAMESPACE, "small", new double[128]);
        memShare.register(NAMESPACE, "large", matrix);
        data = null;
        matrix = null;
        try {
            int iterations = quick ? 2_000 : 20_000;
            double small = viewLatencyMicros(memShare, "small", iterations);
            double large = viewLatencyMicros(memShare, "large", iterations);
            double openClose = openCloseMicros(memShare.store().directory().resolve("memshare." + NAMESPACE + ".large"), iterations);
            log.printf("retrieve view (median of %d): 1 KB %.1f us, %d MB %.1f us (large/small %.2f); baseline"
                + " open+close of the same file %.1f us (view/baseline %.2f)%n", iterations, small, bytes >> 20, large,
                large / small, openClose, large / openClose);
            figures.put("view_us_small", small);
            figures.put("view_us_large", large);
            figures.put("view_large_vs_small", large / small);
            figures.put("open_close_us_baseline", openClose);
        } finally {
            memShare.releaseNamespace(NAMESPACE);
        }
        if (memShare.store().kind() == StoreKind.FILE) {
            largerThanMemory(memShare, quick, log, figures);
        }
        return figures;
    }

    /**
     * Registers a matrix twice the limit of a memory cgroup, then, alternating, a child in the cgroup sums
     * its columns through views and another reads the file with {@code FileChannel.read}, each from a cold
     * page cache. Skipped, with the reason in the log, where no limit can be set or the disk is too full.
     */
    private static void largerThanMemory(MemShare memShare, boolean quick, PrintWriter log, Map<String, Object> figures)
        throws Exception {
        if (Files.getFileStore(memShare.store().directory()).type().equals("tmpfs")) {
            log.println("larger than memory: skipped, the segment directory is in memory (tmpfs): "
                + memShare.store().directory());
            return;
        }
        long limitBytes = (quick ? 128L : 256L) << 20;
        PatternMatrix matrix = new PatternMatrix(2 * limitBytes / 8 / 64, 64);
        if (memShare.store().availableBytes() < 2 * matrix.bytes()) {
            log.printf("larger than memory: skipped, %d MB free in %s%n", memShare.store().availableBytes() >> 20,
                memShare.store().directory());
            return;
        }
        MemoryLimit limit;
        try {
            limit = MemoryLimit.create(limitBytes);
        } catch (UnsupportedOperationException e) {
            log.println("larger than memory: skipped, " + e.getMessage());
            return;
        }
        Shape shape = Shape.matrix(ElementType.DOUBLE, matrix.nrow(), matrix.ncol());
        try (limit) {
            memShare.registerFrom(NAMESPACE, "ltm", shape, matrix.channel());
            Path file = memShare.store().directory().resolve("memshare." + NAMESPACE + ".ltm");
            long offset = SegmentLayout.dataOffset(SegmentLayout.plan(Kind.MATRIX, List.of(shape), ProcessIdentity.current(), 0));
            int reps = quick ? 1 : 3;
            double[] views = new double[reps];
            double[] reads = new double[reps];
            for (int r = 0; r < reps; r++) {
                MemoryLimit.dropFromPageCache(file);
                views[r] = ColumnSums.run(limit, StoreKind.FILE, "view", memShare.store().directory().toString(), NAMESPACE,
                    "ltm").seconds();
                MemoryLimit.dropFromPageCache(file);
                reads[r] = ColumnSums.run(limit, StoreKind.FILE, "read", file.toString(), Long.toString(offset),
                    Long.toString(matrix.nrow()), Integer.toString(matrix.ncol())).seconds();
            }
            double viewGbps = matrix.bytes() / Benchmark.median(views) / 1e9;
            double readGbps = matrix.bytes() / Benchmark.median(reads) / 1e9;
            log.printf("larger than memory: %d MB matrix, child limited to %d MB, cold page cache, median of %d:"
                + " views %.2f GB/s, FileChannel.read %.2f GB/s (views/read %.2f)%n", matrix.bytes() >> 20,
                limitBytes >> 20, reps, viewGbps, readGbps, viewGbps / readGbps);
            figures.put("larger_than_memory_gbps", viewGbps);
            figures.put("larger_than_memory_read_gbps", readGbps);
            figures.put("larger_than_memory_vs_read", viewGbps / readGbps);
        } catch (UnsupportedOperationException e) {
            log.println("larger than memory: skipped, " + e.getMessage());
        } finally {
            memShare.releaseNamespace(NAMESPACE);
        }
    }

    /** Times retrieve alone (the view's release is outside the timed part), each from an unmapped state. */
    private static double viewLatencyMicros(MemShare memShare, String name, int iterations) {
        double[] micros = new double[iterations];
        for (int warm = 0; warm < 2; warm++) {
            for (int i = 0; i < iterations; i++) {
                long t = System.nanoTime();
                View view = memShare.retrieveView(NAMESPACE, name);
                micros[i] = (System.nanoTime() - t) / 1e3;
                view.close();
            }
        }
        return Benchmark.median(micros);
    }

    private static double openCloseMicros(Path file, int iterations) throws Exception {
        double[] micros = new double[iterations];
        for (int warm = 0; warm < 2; warm++) {
            for (int i = 0; i < iterations; i++) {
                long t = System.nanoTime();
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    channel.size();
                }
                micros[i] = (System.nanoTime() - t) / 1e3;
            }
        }
        return Benchmark.median(micros);
    }
}

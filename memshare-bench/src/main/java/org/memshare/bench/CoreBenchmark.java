package org.memshare.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.memshare.cli.PythonWithNumpy;
import org.memshare.cli.ReportOptions;
import org.memshare.format.ElementType;
import org.memshare.format.Shape;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.registry.QualifiedName;
import org.memshare.registry.Variable;
import org.memshare.registry.VectorView;
import org.memshare.registry.View;
import org.memshare.segment.StoreKind;

/**
 * {@code bench core}: register throughput for an 800 MB double matrix against the physical limit
 * (plain {@code pwrite} of the same bytes into a fresh file of the same directory, Java and Python)
 * and against NumPy copying into {@code multiprocessing.shared_memory}; retrieve-view latency, the
 * full retrieve + close cycle against Python's {@code SharedMemory} attach + close of the same file,
 * and the cost of touching every page of a fresh view. Every baseline runs in the same run;
 * With the file store, where a memory cgroup
 * can be made, also column sums through views over a matrix twice the memory a child JVM may use,
 * against that child reading the same file with {@code FileChannel.read}. {@code docs/BENCHMARKS.md}
 * says what each timer holds.
 */
final class CoreBenchmark implements Benchmark {
    private static final String NAMESPACE = "bench" + ProcessHandle.current().pid();
    private static final long PAGE = 4096;

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

    /**
     * Plain pwrite of the same bytes into a fresh file, one run per line "go" on standard input, so
     * that each run sits right after one of ours: open, write all, close inside the timer.
     */
    private static final String PYTHON_PWRITE = """
        import os, sys, time, numpy as np
        directory, n = sys.argv[1], int(sys.argv[2])
        data = memoryview((np.arange(n, dtype=np.float64) * 0.5).tobytes())
        nbytes = len(data)
        print("ready", flush=True)
        for r, line in enumerate(sys.stdin):
            if line.strip() != "go":
                break
            path = os.path.join(directory, "memshare-bench-limit-py-%d-%d" % (os.getpid(), r))
            t = time.perf_counter()
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            done = 0
            while done < nbytes:
                done += os.pwrite(fd, data[done:], done)
            os.close(fd)
            elapsed = time.perf_counter() - t
            os.unlink(path)
            print(elapsed, flush=True)
        """;

    /** SharedMemory attach + close of an existing segment; median microseconds of the second pass. */
    private static final String PYTHON_ATTACH = """
        import sys, time
        from multiprocessing import shared_memory, resource_tracker
        name, iterations = sys.argv[1], int(sys.argv[2])
        times = [0.0] * iterations
        for attempt in range(2):
            for i in range(iterations):
                t = time.perf_counter()
                shm = shared_memory.SharedMemory(name=name)
                shm.close()
                times[i] = time.perf_counter() - t
                # Python before 3.13 registers an attached segment for unlinking at exit: undo that.
                resource_tracker.unregister(shm._name, "shared_memory")
        times.sort()
        print(times[len(times) // 2] * 1e6)
        """;

    @Override
    public String name() {
        return "core";
    }

    @Override
    public String summary() {
        return "register throughput (800 MB) vs the pwrite limit and NumPy, view retrieve/cycle/touch vs Python";
    }

    @Override
    public Map<String, Object> run(boolean quick, ReportOptions report) throws Exception {
        PrintWriter log = report.log();
        MemShare memShare = MemShare.system();
        Path directory = memShare.directory();
        int elements = quick ? 10_000_000 : 100_000_000;
        int reps = quick ? 3 : 7;
        long bytes = elements * 8L;
        double[] data = new double[elements];
        for (int i = 0; i < elements; i++) {
            data[i] = i * 0.5;
        }
        int ncol = 1000;
        Variable matrix = Variable.matrix(elements / ncol, ncol, data);
        log.printf("store %s in %s%n", memShare.storeKind().label(), memShare.directory());
        Map<String, Object> figures = new LinkedHashMap<>();
        Optional<String> python = PythonWithNumpy.find();

        log.printf("register: %d MB double matrix, %d repetitions, each followed by the pwrite limit%n", bytes >> 20, reps);
        double[] seconds = new double[reps];
        double[] javaLimitSeconds = new double[reps];
        double[] pythonLimitSeconds = new double[reps];
        double[] limitSeconds = new double[reps];
        double[] pairRatios = new double[reps];
        double[] touchMillis = new double[reps];
        try (Arena arena = Arena.ofConfined();
             PythonPwrite pythonPwrite = python.isPresent() ? new PythonPwrite(python.get(), directory, elements) : null) {
            MemorySegment nativeCopy = arena.allocate(bytes, PAGE);
            MemorySegment.copy(MemorySegment.ofArray(data), 0, nativeCopy, 0, bytes);
            for (int r = 0; r < reps; r++) {
                long t = System.nanoTime();
                memShare.register(NAMESPACE, "big", matrix);
                seconds[r] = (System.nanoTime() - t) / 1e9;
                touchMillis[r] = touchEveryPage(memShare);
                memShare.releaseVariables(NAMESPACE, "big");
                javaLimitSeconds[r] = pwriteSeconds(directory.resolve("memshare-bench-limit-" + ProcessHandle.current().pid()),
                    nativeCopy);
                pythonLimitSeconds[r] = pythonPwrite == null ? Double.POSITIVE_INFINITY : pythonPwrite.next();
                // Each register against the faster limit written right after it: the median of these
                // pairs' ratios cancels most of the drift of a shared machine.
                limitSeconds[r] = Math.min(javaLimitSeconds[r], pythonLimitSeconds[r]);
                pairRatios[r] = limitSeconds[r] / seconds[r];
            }
        }
        double registerGbps = bytes / Benchmark.median(seconds) / 1e9;
        double limitGbps = bytes / Benchmark.median(limitSeconds) / 1e9;
        double registerVsLimit = Benchmark.median(pairRatios);
        log.printf("  memshare register: %.3f s median = %.2f GB/s%n", Benchmark.median(seconds), registerGbps);
        log.printf("  limit, Java pwrite from native memory into a fresh file: %.2f GB/s%n",
            bytes / Benchmark.median(javaLimitSeconds) / 1e9);
        if (python.isPresent()) {
            log.printf("  limit, Python os.pwrite into a fresh file: %.2f GB/s%n",
                bytes / Benchmark.median(pythonLimitSeconds) / 1e9);
        }
        log.printf("  limit (the faster of each pair) %.2f GB/s; register / limit = %.2f (median of %d pairs)%n",
            limitGbps, registerVsLimit, reps);
        figures.put("register_gbps", registerGbps);
        figures.put("register_limit_gbps", limitGbps);
        figures.put("register_vs_limit", registerVsLimit);
        if (python.isPresent()) {
            double numpySeconds = Double.parseDouble(PythonWithNumpy.run(python.get(), NUMPY_COPY, Integer.toString(elements),
                Integer.toString(reps)).strip());
            double numpyGbps = bytes / numpySeconds / 1e9;
            figures.put("register_vs_numpy", registerGbps / numpyGbps);
            figures.put("numpy_gbps", numpyGbps);
            log.printf("  NumPy into SharedMemory: %.3f s median = %.2f GB/s; ratio memshare/NumPy = %.2f%n",
                numpySeconds, numpyGbps, registerGbps / numpyGbps);
        } else {
            log.println("  Python baselines skipped: no python3 with numpy found (install python3-numpy)");
        }
        double touch = Benchmark.median(touchMillis);
        log.printf("touch every page of a fresh %d MB view: %.1f ms median%n", bytes >> 20, touch);
        figures.put("view_touch_ms", touch);

        memShare.register(NAMESPACE, "small", new double[128]);
        memShare.register(NAMESPACE, "large", matrix);
        data = null;
        matrix = null;
        try {
            int iterations = quick ? 2_000 : 20_000;
            double small = viewLatencyMicros(memShare, "small", iterations);
            double large = viewLatencyMicros(memShare, "large", iterations);
            String largeFile = "memshare." + NAMESPACE + ".large";
            double openClose = openCloseMicros(directory.resolve(largeFile), iterations);
            log.printf("retrieve view (median of %d): 1 KB %.1f us, %d MB %.1f us (large/small %.2f); baseline"
                + " open+close of the same file %.1f us (view/baseline %.2f)%n", iterations, small, bytes >> 20, large,
                large / small, openClose, large / openClose);
            figures.put("view_us_small", small);
            figures.put("view_us_large", large);
            figures.put("view_large_vs_small", large / small);
            figures.put("open_close_us_baseline", openClose);
            double cycle = viewCycleMicros(memShare, "large", iterations);
            figures.put("view_cycle_us_large", cycle);
            log.printf("retrieve + close cycle of the %d MB view: %.1f us median%n", bytes >> 20, cycle);
            if (python.isPresent() && directory.equals(Path.of("/dev/shm"))) {
                double attach = Double.parseDouble(PythonWithNumpy.run(python.get(), PYTHON_ATTACH, largeFile,
                    Integer.toString(iterations)).strip());
                figures.put("view_cycle_vs_python", cycle / attach);
                log.printf("  Python SharedMemory attach + close of the same file: %.1f us; ratio memshare/Python = %.2f%n",
                    attach, cycle / attach);
            } else {
                log.println("  Python attach baseline skipped: needs python3 with numpy and segments in /dev/shm");
            }
        } finally {
            memShare.releaseNamespace(NAMESPACE);
        }
        if (memShare.storeKind() == StoreKind.FILE) {
            largerThanMemory(memShare, quick, log, figures);
        }
        return figures;
    }

    /** Reads one double per page of a view freshly mapped after registration: the page-fault cost. */
    private static double touchEveryPage(MemShare memShare) {
        try (MatrixView view = memShare.retrieveMatrix(NAMESPACE, "big")) {
            VectorView all = view.all();
            long step = PAGE / Double.BYTES;
            long t = System.nanoTime();
            double sum = 0;
            for (long i = 0; i < all.length(); i += step) {
                sum += all.get(i);
            }
            double millis = (System.nanoTime() - t) / 1e6;
            if (Double.isNaN(sum)) {
                throw new IllegalStateException("unexpected data");
            }
            return millis;
        }
    }

    /** The limit: open a fresh file, pwrite all bytes from native memory, close; the unlink is not timed. */
    private static double pwriteSeconds(Path file, MemorySegment bytes) throws IOException {
        long t = System.nanoTime();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long done = 0;
            while (done < bytes.byteSize()) {
                ByteBuffer buffer = bytes.asSlice(done, Math.min(Integer.MAX_VALUE - PAGE, bytes.byteSize() - done))
                    .asByteBuffer();
                done += channel.write(buffer, done);
            }
        }
        double elapsed = (System.nanoTime() - t) / 1e9;
        Files.delete(file);
        return elapsed;
    }

    /**
     * Registers a matrix twice the limit of a memory cgroup, then, alternating, a child in the cgroup sums
     * its columns through views and another reads the file with {@code FileChannel.read}, each from a cold
     * page cache. Skipped, with the reason in the log, where no limit can be set or the disk is too full.
     */
    private static void largerThanMemory(MemShare memShare, boolean quick, PrintWriter log, Map<String, Object> figures)
        throws Exception {
        if (Files.getFileStore(memShare.directory()).type().equals("tmpfs")) {
            log.println("larger than memory: skipped, the segment directory is in memory (tmpfs): "
                + memShare.directory());
            return;
        }
        long limitBytes = (quick ? 128L : 256L) << 20;
        PatternMatrix matrix = new PatternMatrix(2 * limitBytes / 8 / 64, 64);
        if (Files.getFileStore(memShare.directory()).getUsableSpace() < 2 * matrix.bytes()) {
            log.printf("larger than memory: skipped, %d MB free in %s%n", Files.getFileStore(memShare.directory()).getUsableSpace() >> 20,
                memShare.directory());
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
            Path file = memShare.directory().resolve(new QualifiedName(NAMESPACE, "ltm").segmentName());
            long offset;
            try (MatrixView registered = memShare.retrieveMatrix(NAMESPACE, "ltm")) {
                offset = registered.dataOffset(); // mapped, not read: the page cache stays cold
            }
            int reps = quick ? 1 : 3;
            double[] views = new double[reps];
            double[] reads = new double[reps];
            for (int r = 0; r < reps; r++) {
                MemoryLimit.dropFromPageCache(file);
                views[r] = ColumnSums.run(limit, StoreKind.FILE, "view", memShare.directory().toString(), NAMESPACE,
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

    /** Times retrieve alone (the view's release is outside the timed part). */
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

    /** Times retrieve and close together, what a user repeating the operation pays. */
    private static double viewCycleMicros(MemShare memShare, String name, int iterations) {
        double[] micros = new double[iterations];
        for (int warm = 0; warm < 2; warm++) {
            for (int i = 0; i < iterations; i++) {
                long t = System.nanoTime();
                View view = memShare.retrieveView(NAMESPACE, name);
                view.close();
                micros[i] = (System.nanoTime() - t) / 1e3;
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

    /** The Python limit, one timed run per call, in a process started once (its data made once). */
    private static final class PythonPwrite implements AutoCloseable {
        private final Path script;
        private final Process process;
        private final BufferedReader out;
        private final Writer in;

        PythonPwrite(String python, Path directory, int elements) throws IOException {
            script = Files.createTempFile("memshare-bench-", ".py");
            Files.writeString(script, PYTHON_PWRITE, StandardCharsets.UTF_8);
            process = new ProcessBuilder(python, script.toString(), directory.toString(), Integer.toString(elements))
                .redirectErrorStream(true).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            expect("ready");
        }

        /** @return the seconds of one more run */
        double next() throws IOException {
            in.write("go\n");
            in.flush();
            String line = expect(null);
            try {
                return Double.parseDouble(line);
            } catch (NumberFormatException e) {
                throw new IOException("python pwrite baseline failed: output=" + line, e);
            }
        }

        private String expect(String word) throws IOException {
            String line = out.readLine();
            if (line == null || (word != null && !word.equals(line.strip()))) {
                throw new IOException("python pwrite baseline failed: output=" + line);
            }
            return line.strip();
        }

        @Override
        public void close() throws IOException {
            try {
                in.close();
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                process.destroyForcibly();
                Files.deleteIfExists(script);
            }
        }
    }
}

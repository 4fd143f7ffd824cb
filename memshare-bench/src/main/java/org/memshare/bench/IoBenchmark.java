package org.memshare.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.memshare.cli.PythonWithNumpy;
import org.memshare.cli.ReportOptions;
import org.memshare.io.MatrixFile;
import org.memshare.registry.MemShare;

/**
 * {@code bench io}: loading matrix files into shared memory ({@link MatrixFile#register}) — a
 * Fortran-order {@code .npy} (column by column, straight into shared memory), the same matrix in C
 * order (transposed tile by tile) and as CSV (parsed) — against NumPy reading the same files and
 * copying them into {@code multiprocessing.shared_memory} in the same run ({@code numpy.load},
 * {@code numpy.loadtxt}). NumPy writes the files.
 */
final class IoBenchmark implements Benchmark {
    private static final String NAMESPACE = "benchio" + ProcessHandle.current().pid();

    private static final String WRITE = """
        import sys, numpy as np
        d, rows, cols, csv_rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
        a = np.random.default_rng(1).normal(size=(rows, cols))
        np.save(d + "/c.npy", a)
        np.save(d + "/f.npy", np.asfortranarray(a))
        np.savetxt(d + "/x.csv", a[:csv_rows], delimiter=",", header=",".join("c%d" % j for j in range(cols)),
                   comments="", fmt="%.17g")
        """;

    /** The baseline: NumPy reads the file and copies it into {@code multiprocessing.shared_memory}. */
    private static final String NUMPY_READ = """
        import sys, time, numpy as np
        from multiprocessing import shared_memory
        d, reps = sys.argv[1], int(sys.argv[2])
        def share(a):
            shm = shared_memory.SharedMemory(create=True, size=max(a.nbytes, 1))
            np.ndarray(a.shape, dtype=a.dtype, buffer=shm.buf, order="F")[...] = a
            shm.close()
            shm.unlink()
        def median(f, n):
            times = []
            for _ in range(n + 1):
                t = time.perf_counter(); f(); times.append(time.perf_counter() - t)
            times = sorted(times[1:])
            return times[len(times) // 2]
        print(median(lambda: share(np.load(d + "/f.npy")), reps),
              median(lambda: share(np.loadtxt(d + "/x.csv", delimiter=",", skiprows=1)), max(1, reps // 2)))
        """;

    @Override
    public String name() {
        return "io";
    }

    @Override
    public String summary() {
        return "loading .npy (C and Fortran order) and CSV into shared memory vs NumPy reading the same files";
    }

    @Override
    public Map<String, Object> run(boolean quick, ReportOptions report) throws Exception {
        PrintWriter log = report.log();
        Map<String, Object> figures = new LinkedHashMap<>();
        Optional<String> python = PythonWithNumpy.find();
        if (python.isEmpty()) {
            log.println("io: skipped, NumPy writes the files: no python3 with numpy found (install python3-numpy)");
            return figures;
        }
        int rows = quick ? 20_000 : 200_000;
        int cols = 100;
        int csvRows = quick ? 5_000 : 50_000;
        int reps = quick ? 3 : 5;
        Path dir = Files.createTempDirectory("memshare-bench-io");
        try {
            PythonWithNumpy.run(python.get(), WRITE, dir.toString(), Integer.toString(rows), Integer.toString(cols),
                Integer.toString(csvRows));
            MemShare memShare = MemShare.system();
            double fortran = loadSeconds(memShare, dir.resolve("f.npy"), reps);
            double cOrder = loadSeconds(memShare, dir.resolve("c.npy"), reps);
            double csv = loadSeconds(memShare, dir.resolve("x.csv"), Math.max(1, reps / 2));
            String[] numpy = PythonWithNumpy.run(python.get(), NUMPY_READ, dir.toString(), Integer.toString(reps)).strip().split(" ");
            double numpyLoad = Double.parseDouble(numpy[0]);
            double numpyLoadtxt = Double.parseDouble(numpy[1]);
            long npyBytes = (long) rows * cols * 8;
            log.printf("io: %d x %d doubles (%d MB) as .npy, %d x %d as CSV (%d MB)%n", rows, cols, npyBytes >> 20,
                csvRows, cols, Files.size(dir.resolve("x.csv")) >> 20);
            log.printf("  .npy Fortran order %.3f s, C order %.3f s (C/Fortran %.2f); numpy.load + share %.3f s"
                + " (Fortran/numpy %.2f)%n", fortran, cOrder, cOrder / fortran, numpyLoad, fortran / numpyLoad);
            log.printf("  CSV %.3f s; numpy.loadtxt + share %.3f s (memshare/numpy %.2f)%n", csv, numpyLoadtxt,
                csv / numpyLoadtxt);
            figures.put("npy_fortran_s", fortran);
            figures.put("npy_c_s", cOrder);
            figures.put("npy_c_vs_fortran", cOrder / fortran);
            figures.put("numpy_load_s", numpyLoad);
            figures.put("npy_fortran_vs_numpy_load", fortran / numpyLoad);
            figures.put("csv_s", csv);
            figures.put("numpy_loadtxt_s", numpyLoadtxt);
            figures.put("csv_vs_numpy_loadtxt", csv / numpyLoadtxt);
            return figures;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Median seconds of opening the file and registering it, after one run to warm up (the release is not timed). */
    private static double loadSeconds(MemShare memShare, Path file, int reps) throws IOException {
        double[] seconds = new double[reps + 1];
        for (int r = 0; r <= reps; r++) {
            long t = System.nanoTime();
            MatrixFile.open(file).register(memShare, NAMESPACE, "X");
            seconds[r] = (System.nanoTime() - t) / 1e9;
            memShare.releaseVariables(NAMESPACE, "X");
        }
        return Benchmark.median(Arrays.copyOfRange(seconds, 1, seconds.length));
    }
}

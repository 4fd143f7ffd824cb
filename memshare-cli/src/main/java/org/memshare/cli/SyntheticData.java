package org.memshare.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.memshare.format.ElementType;
import org.memshare.format.Shape;
import org.memshare.registry.MemShare;

/**
 * The demo's data: a matrix of noise features with a few planted features that depend on a
 * discrete target, written straight into shared memory column by column (seeded, reproducible, in
 * parallel), never as a whole through the heap.
 *
 * @param target the class of each row, 0 to classes − 1
 * @param planted the columns that carry signal, strongest first
 * @param featureNames the column names, {@code f00001}…
 */
public record SyntheticData(double[] target, List<Integer> planted, List<String> featureNames) {

    /** Signal strengths of the planted features, strongest first. */
    private static final double[] STRENGTHS = {1.2, 0.9, 0.7, 0.55, 0.45, 0.4, 0.35, 0.3};
    /**
     * Rows drawn into a buffer and copied into shared memory at once (32 KiB). Written value by
     * value through the segment, the generating loop was large for the JIT: a demo-size run compiled
     * it six times with the optimizing compiler, at 3–7 MB of compiler memory each, which the JVM
     * keeps pooled for seconds (docs/BENCHMARKS.md, "Where the memory goes").
     */
    private static final int BLOCK_ROWS = 4096;
    /** Columns per parallel task, which draws them one after the other through one buffer. */
    private static final int COLUMNS_PER_TASK = 16;

    /**
     * Registers an {@code rows × features} double matrix and returns the target and planted columns.
     * The same arguments give the same data, whatever the number of threads.
     *
     * @param memShare the registry to register the matrix in
     * @param namespace the matrix's namespace
     * @param name the matrix's name
     * @param rows number of rows (samples), at least 3
     * @param features number of columns (features), at least 1
     * @param classes number of target classes, at least 2
     * @param plantedCount how many features carry signal (at most 8, and at most {@code features})
     * @param seed the random seed
     * @return the target, the planted columns and the column names
     * @throws IllegalArgumentException when a count is out of range ({@code invalid synthetic data shape: …})
     * @throws org.memshare.registry.AlreadyRegisteredException when {@code namespace.name} is registered already
     */
    public static SyntheticData register(MemShare memShare, String namespace, String name, int rows, int features,
                                  int classes, int plantedCount, long seed) {
        if (rows < 3 || features < 1 || classes < 2 || plantedCount < 0 || plantedCount > Math.min(features, STRENGTHS.length)) {
            throw new IllegalArgumentException("invalid synthetic data shape: rows=" + rows + ", features=" + features
                + ", classes=" + classes + ", planted=" + plantedCount);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] target = new double[rows];
        for (int i = 0; i < rows; i++) {
            target[i] = random.nextInt(classes);
        }
        List<Integer> planted = new ArrayList<>();
        for (int k = 0; k < plantedCount; k++) {
            planted.add((int) ((long) (k + 1) * features / (plantedCount + 1)));
        }
        List<String> names = new ArrayList<>(features);
        int digits = Math.max(5, Integer.toString(features).length());
        for (int j = 0; j < features; j++) {
            names.add(String.format(Locale.ROOT, "f%0" + digits + "d", j + 1));
        }
        int tasks = (features + COLUMNS_PER_TASK - 1) / COLUMNS_PER_TASK;
        memShare.register(namespace, name, Shape.matrix(ElementType.DOUBLE, rows, features), data ->
            IntStream.range(0, tasks).parallel().forEach(task -> {
                double[] block = new double[Math.min(rows, BLOCK_ROWS)];
                for (int j = task * COLUMNS_PER_TASK; j < Math.min(features, (task + 1) * COLUMNS_PER_TASK); j++) {
                    writeColumn(data, j, rows, block, new SplittableRandom(seed * 1_000_003L + j), target,
                        planted.indexOf(j), classes);
                }
            }));
        return new SyntheticData(target, List.copyOf(planted), List.copyOf(names));
    }

    /**
     * Writes column {@code j}: its own random stream's noise (so the data do not depend on the
     * threads), plus the signal when the column is planted, block by block through {@code block}.
     */
    private static void writeColumn(MemorySegment data, int j, int rows, double[] block, SplittableRandom column,
                                    double[] target, int plantedRank, int classes) {
        long base = (long) j * rows;
        for (int from = 0; from < rows; from += block.length) {
            int length = Math.min(block.length, rows - from);
            fillNoise(block, length, column);
            if (plantedRank >= 0) {
                addSignal(block, length, target, from, STRENGTHS[plantedRank], plantedRank % 2 == 0, classes);
            }
            MemorySegment.copy(block, 0, data, ValueLayout.JAVA_DOUBLE, (base + from) * Double.BYTES, length);
        }
    }

    private static void fillNoise(double[] block, int length, SplittableRandom column) {
        for (int i = 0; i < length; i++) {
            block[i] = gaussian(column);
        }
    }

    /** Adds the signal of the rows {@code from …}: as added while drawing the noise, so the data stay the same. */
    private static void addSignal(double[] block, int length, double[] target, int from, double strength, boolean monotone,
                                  int classes) {
        for (int i = 0; i < length; i++) {
            double cls = target[from + i];
            // Alternate a monotone and a non-monotone dependence on the class.
            double signal = monotone ? cls : (cls == 1 ? classes : 0);
            block[i] += strength * signal;
        }
    }

    private static double gaussian(SplittableRandom random) {
        // Box–Muller; one value per call keeps every column's stream independent of thread scheduling.
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}

package org.memshare.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
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
        memShare.register(namespace, name, Shape.matrix(ElementType.DOUBLE, rows, features), data ->
            IntStream.range(0, features).parallel().forEach(j -> {
                SplittableRandom column = new SplittableRandom(seed * 1_000_003L + j);
                int plantedRank = planted.indexOf(j);
                long base = (long) j * rows;
                for (int i = 0; i < rows; i++) {
                    double value = gaussian(column);
                    if (plantedRank >= 0) {
                        double cls = target[i];
                        // Alternate a monotone and a non-monotone dependence on the class.
                        double signal = plantedRank % 2 == 0 ? cls : (cls == 1 ? classes : 0);
                        value += STRENGTHS[plantedRank] * signal;
                    }
                    data.setAtIndex(ValueLayout.JAVA_DOUBLE, base + i, value);
                }
            }));
        return new SyntheticData(target, List.copyOf(planted), List.copyOf(names));
    }

    private static double gaussian(SplittableRandom random) {
        // Box–Muller; one value per call keeps every column's stream independent of thread scheduling.
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}

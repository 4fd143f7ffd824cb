package org.memshare.bench;

import java.io.PrintStream;
import java.util.Map;

/**
 * One benchmark suite of {@code memshare bench NAME}: measures the library against a baseline in the
 * same run and returns its figures under the documented JSON keys.
 */
interface Benchmark {
    /** @return the suite name, as typed after {@code bench} */
    String name();

    /** @return one line for the usage text */
    String summary();

    /**
     * Runs the suite.
     *
     * @param quick run a shorter version (fewer repetitions, smaller sizes where the suite says so)
     * @param log where progress and the human-readable report go
     * @return the figures, by JSON key, in a stable order
     */
    Map<String, Object> run(boolean quick, PrintStream log) throws Exception;

    /** @return the median of the values (the mean of the middle two for an even count) */
    static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

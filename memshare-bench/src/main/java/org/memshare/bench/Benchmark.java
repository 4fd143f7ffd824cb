package org.memshare.bench;

import java.util.Arrays;
import java.util.Map;
import org.memshare.cli.ReportOptions;

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
     * @param report where the human-readable report ({@link ReportOptions#log()}), notes and progress go
     * @return the figures, by JSON key, in a stable order
     */
    Map<String, Object> run(boolean quick, ReportOptions report) throws Exception;

    /** @return the median of the values (the mean of the middle two for an even count) */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

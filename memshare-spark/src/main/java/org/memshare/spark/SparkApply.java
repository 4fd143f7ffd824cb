package org.memshare.spark;

import org.apache.spark.SparkContext;

/**
 * {@code memApply} and {@code memLapply} on Apache Spark, one call at a time: the source is loaded
 * once per host into shared memory, every executor on the host maps that copy, and the copies are
 * released on every host when the call returns. To keep variables across calls, use a {@link SparkShare}.
 *
 * {@snippet :
 * SparkContext sc = SparkContext.getOrCreate(SparkSetup.conf("local-cluster[2,1,1024]", "sds"));
 * List<Double> sds = SparkApply.memApply(sc, SparkSource.file("/data/features.msm"))
 *     .columns()
 *     .run((column, vars) -> sd(column));
 * }
 */
public final class SparkApply {
    private SparkApply() {
    }

    /**
     * A {@code memApply} call over a matrix.
     *
     * @param sc the running application
     * @param source a {@link SparkSource} of a matrix, or matrix data on the driver ({@code double[][]}
     *     rows, a {@link org.memshare.registry.Variable.Matrix})
     * @return a call to configure and {@linkplain SparkMemApply#run run}; its variables are released on
     *     every host when it returns
     */
    public static SparkMemApply memApply(SparkContext sc, Object source) {
        return new SparkMemApply(SparkShare.open(sc), source, true);
    }

    /**
     * A {@code memLapply} call over a list.
     *
     * @param sc the running application
     * @param source a {@link SparkSource} of a list, or list data on the driver (a {@code List} of arrays)
     * @return a call to configure and {@linkplain SparkMemLapply#run run}; its variables are released on
     *     every host when it returns
     */
    public static SparkMemLapply memLapply(SparkContext sc, Object source) {
        return new SparkMemLapply(SparkShare.open(sc), source, true);
    }
}

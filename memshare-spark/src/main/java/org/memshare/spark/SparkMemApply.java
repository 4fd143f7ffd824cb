package org.memshare.spark;

import java.util.List;
import java.util.Objects;
import org.memshare.apply.Margin;
import org.memshare.apply.MarginFunction;

/**
 * One {@code memApply} call on Spark: a function over every row or column of a matrix that each host
 * holds once in shared memory. Obtain it from {@link SparkApply#memApply} or {@link SparkShare#memApply}.
 *
 * {@snippet :
 * List<Double> sds = SparkApply.memApply(sc, SparkSource.file("/data/features.msm"))
 *     .columns()
 *     .var("w", SparkSource.data(weights))
 *     .run((column, vars) -> weightedSd(column, vars.vector("w")));
 * }
 */
public final class SparkMemApply extends SparkApplyBuilder<SparkMemApply> {
    private Margin margin = Margin.COLUMNS;

    SparkMemApply(SparkShare share, Object x, boolean ownsShare) {
        super(share, x, ownsShare);
    }

    /**
     * Chooses rows or columns, as R's {@code MARGIN}.
     *
     * @param margin rows or columns (default {@link Margin#COLUMNS})
     * @return this call
     */
    public SparkMemApply margin(Margin margin) {
        this.margin = Objects.requireNonNull(margin, "margin must be ROWS or COLUMNS");
        return this;
    }

    /**
     * Iterates rows (strided zero-copy views).
     *
     * @return this call
     */
    public SparkMemApply rows() {
        return margin(Margin.ROWS);
    }

    /**
     * Iterates columns (contiguous zero-copy views), the default.
     *
     * @return this call
     */
    public SparkMemApply columns() {
        return margin(Margin.COLUMNS);
    }

    /**
     * Runs the function over every row or column, as Spark tasks over index ranges.
     *
     * @param function the function, as for the local {@code Apply}; serialized with each task
     * @param <R> the result type
     * @return the results in row or column order (unmodifiable; may contain nulls)
     * @throws IllegalArgumentException for a function that is not serializable, or X that is not a matrix
     * @throws org.memshare.registry.UnknownVariableException for a name that is not a variable of the share
     * @throws SparkApplyException when the function throws, a host cannot load a source, or the job fails
     */
    public <R> List<R> run(MarginFunction<? extends R> function) {
        return execute(function, margin == Margin.ROWS ? RangeTask.Slicing.ROWS : RangeTask.Slicing.COLUMNS);
    }
}

package org.memshare.spark;

import java.util.List;
import org.memshare.apply.ElementFunction;

/**
 * One {@code memLapply} call on Spark: a function over every element of a list that each host holds
 * once in shared memory. Obtain it from {@link SparkApply#memLapply} or {@link SparkShare#memLapply}.
 *
 * {@snippet :
 * List<Double> sums = SparkApply.memLapply(sc, List.of(new double[] {1, 2}, new double[] {3}))
 *     .run((element, vars) -> ((VectorView) element).sum());
 * }
 */
public final class SparkMemLapply extends SparkApplyBuilder<SparkMemLapply> {

    SparkMemLapply(SparkShare share, Object x, boolean ownsShare) {
        super(share, x, ownsShare);
    }

    /**
     * Runs the function over every element, as Spark tasks over index ranges.
     *
     * @param function the function, as for the local {@code Apply}; serialized with each task
     * @param <R> the result type
     * @return the results in element order (unmodifiable; may contain nulls)
     * @throws IllegalArgumentException for a function that is not serializable, or X that is not a list
     * @throws org.memshare.registry.UnknownVariableException for a name that is not a variable of the share
     * @throws SparkApplyException when the function throws, a host cannot load a source, or the job fails
     */
    public <R> List<R> run(ElementFunction<? extends R> function) {
        return execute(function, RangeTask.Slicing.ELEMENTS);
    }
}

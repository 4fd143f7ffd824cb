package org.memshare.apply;

import java.util.List;

/**
 * One {@code memLapply} call, built fluently: a function over every element of a list. Obtain it from
 * {@link Apply#memLapply(Object)}.
 *
 * {@snippet :
 * List<Double> sums = Apply.memLapply("L")               // a registered list, or List<double[][]> data
 *     .namespace("ns")
 *     .cluster(cluster)
 *     .run((element, vars) -> ((MatrixView) element).all().sum());
 * }
 */
public final class MemLapply extends ApplyBuilder<MemLapply> {

    MemLapply(Object x) {
        super(x);
    }

    /**
     * Runs the function over every element, on the cluster.
     *
     * @param function the function; serialized once and shipped with the names
     * @param <R> the result type
     * @return the results in element order (unmodifiable; may contain nulls)
     * @throws IllegalArgumentException for a function that is not serializable, X that is neither list
     *         data nor the name of a registered list
     * @throws org.memshare.registry.UnknownVariableException for a name that is not registered, before any worker runs
     * @throws IllegalStateException when the cluster is closed
     * @throws ApplyException when the function throws, naming the index, with the worker's exception as cause
     * @throws WorkerDiedException when a worker JVM dies during the call
     * @throws ApplyException when the call times out ({@code call timed out: timeout=…, done=…, total=…}) or the
     *         caller is interrupted ({@code call interrupted: …}, interrupt flag set again)
     */
    public <R> List<R> run(ElementFunction<? extends R> function) {
        return execute(function, JobSpec.Target.ELEMENTS);
    }
}

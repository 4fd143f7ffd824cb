package org.memshare.apply;

import java.util.List;
import java.util.Objects;

/**
 * One {@code memApply} call, built fluently: a function over every row or column of a matrix.
 * Obtain it from {@link Apply#memApply(Object)}.
 *
 * {@snippet :
 * List<Double> correlations = Apply.memApply(x)          // double[][] data, or "X" for a registered matrix
 *     .columns()
 *     .var("y", y)                                       // data, registered for the call
 *     .cluster(cluster)
 *     .run((column, vars) -> correlation(column, vars.vector("y")));
 * }
 */
public final class MemApply extends ApplyBuilder<MemApply> {
    private Margin margin = Margin.COLUMNS;

    MemApply(Object x) {
        super(x);
    }

    /**
     * Chooses whether the function runs on every row or every column.
     *
     * @param margin {@link Margin#ROWS} or {@link Margin#COLUMNS} (default {@link Margin#COLUMNS})
     * @return this call
     * @throws NullPointerException when {@code margin} is null
     */
    public MemApply margin(Margin margin) {
        this.margin = Objects.requireNonNull(margin, "margin must be ROWS or COLUMNS");
        return this;
    }

    /**
     * Runs the function on every row, each a strided zero-copy view: {@code margin(Margin.ROWS)}.
     *
     * @return this call
     */
    public MemApply rows() {
        return margin(Margin.ROWS);
    }

    /**
     * Runs the function on every column, each a contiguous zero-copy view: {@code margin(Margin.COLUMNS)},
     * the default.
     *
     * @return this call
     */
    public MemApply columns() {
        return margin(Margin.COLUMNS);
    }

    /**
     * Runs the function over every row or column, on the cluster.
     *
     * @param function the function; serialized once and shipped with the names of X and the variables
     * @param <R> the result type
     * @return the results in row or column order (unmodifiable; may contain nulls)
     * @throws IllegalArgumentException for a function that is not serializable, X that is neither matrix
     *         data nor the name of a registered matrix
     * @throws org.memshare.registry.UnknownVariableException for a name that is not registered, before any worker runs
     * @throws IllegalStateException when the cluster is closed
     * @throws ApplyException when the function throws, naming the index, with the worker's exception as cause
     * @throws WorkerDiedException when a worker JVM dies during the call
     * @throws ApplyException when the call times out ({@code call timed out: timeout=…, done=…, total=…}) or the
     *         caller is interrupted ({@code call interrupted: …}, interrupt flag set again)
     */
    public <R> List<R> run(MarginFunction<? extends R> function) {
        return execute(function, JobSpec.Target.of(margin));
    }
}

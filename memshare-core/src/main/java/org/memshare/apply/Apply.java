package org.memshare.apply;

import java.io.IOException;
import java.io.NotSerializableException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * R memshare's parallel functions: {@code memApply}, {@code memLapply} and {@code memshare_gc}.
 *
 * {@snippet :
 * MemShare memShare = MemShare.system();
 * try (Cluster cluster = Cluster.processes(2, memShare)) {
 *     // X as data: registered for the call, released after it
 *     List<Double> sds = Apply.memApply(new double[][] {{1, 2}, {3, 5}})
 *         .columns().cluster(cluster)
 *         .run((column, vars) -> sd(column));
 *     // the R-style one-liner, with a registered matrix "X" and variable "y" in namespace "ns"
 *     List<Double> dots = Apply.memApply("X", Margin.ROWS, (row, vars) -> dot(row, vars.vector("y")),
 *         "ns", cluster, Map.of("y", "y"), 2);
 *     Apply.gc("ns", cluster);                            // drop ns everywhere
 * }
 * }
 */
public final class Apply {
    private Apply() {
    }

    /**
     * Starts a {@code memApply} call over the rows or columns of {@code x}. Nothing runs until
     * {@link MemApply#run(MarginFunction)}; a name is checked to be registered then, before any worker
     * runs.
     *
     * {@snippet :
     * List<Double> means = Apply.memApply("X").namespace("ns").columns().cluster(cluster)
     *     .run((column, vars) -> column.sum() / column.length());
     * }
     *
     * @param x the name of a registered matrix, or matrix data ({@code double[][]} rows or a
     *          {@link org.memshare.registry.Variable.Matrix})
     * @return a call to configure and {@linkplain MemApply#run run}
     * @throws NullPointerException when {@code x} is null
     */
    public static MemApply memApply(Object x) {
        return new MemApply(x);
    }

    /**
     * Starts a {@code memLapply} call over the elements of the list {@code x}. Nothing runs until
     * {@link MemLapply#run(ElementFunction)}; a name is checked to be registered then, before any
     * worker runs.
     *
     * {@snippet :
     * List<Double> sums = Apply.memLapply("L").namespace("ns").cluster(cluster)
     *     .run((element, vars) -> ((MatrixView) element).all().sum());
     * }
     *
     * @param x the name of a registered list, or list data (a {@code List} of arrays or a
     *          {@link org.memshare.registry.Variable.ListOf})
     * @return a call to configure and {@linkplain MemLapply#run run}
     * @throws NullPointerException when {@code x} is null
     */
    public static MemLapply memLapply(Object x) {
        return new MemLapply(x);
    }

    /**
     * R's {@code memApply(X, MARGIN, FUN, NAMESPACE, CLUSTER, VARS, MAX.CORES)} in one call: the same as
     * {@code memApply(x).margin(margin).namespace(namespace).cluster(cluster).vars(vars).maxCores(maxCores).run(function)}.
     *
     * @param x the name of a registered matrix, or matrix data, as for {@link #memApply(Object)}
     * @param margin {@link Margin#ROWS} or {@link Margin#COLUMNS}
     * @param function the function run on each row or column; it must be serializable
     * @param namespace the namespace of every name in {@code x} and {@code vars}, and of the data
     *                  registered for the call
     * @param cluster the cluster that runs the function
     * @param vars name to value: a {@code String} value names a registered variable, anything else is data
     * @param maxCores most workers of the cluster to use, at least 1
     * @param <R> the result type
     * @return the results in row or column order, as {@link MemApply#run(MarginFunction)} returns them
     * @throws IllegalArgumentException when {@code maxCores < 1}, a variable name is empty, or as
     *         {@link MemApply#run(MarginFunction)} throws it
     * @throws org.memshare.registry.UnknownVariableException for a name that is not registered, before any
     *         worker runs
     * @throws IllegalStateException when the cluster is closed
     * @throws ApplyException when the function throws, the call times out or the caller is interrupted
     * @throws WorkerDiedException when a worker JVM dies during the call
     */
    public static <R> List<R> memApply(Object x, Margin margin, MarginFunction<? extends R> function, String namespace,
                                       Cluster cluster, Map<String, ?> vars, int maxCores) {
        return memApply(x).margin(margin).namespace(namespace).cluster(cluster).vars(vars).maxCores(maxCores).run(function);
    }

    /**
     * R's {@code memLapply(X, FUN, NAMESPACE, CLUSTER, VARS, MAX.CORES)} in one call: the same as
     * {@code memLapply(x).namespace(namespace).cluster(cluster).vars(vars).maxCores(maxCores).run(function)}.
     *
     * @param x the name of a registered list, or list data, as for {@link #memLapply(Object)}
     * @param function the function run on each element; it must be serializable
     * @param namespace the namespace of every name in {@code x} and {@code vars}, and of the data
     *                  registered for the call
     * @param cluster the cluster that runs the function
     * @param vars name to value: a {@code String} value names a registered variable, anything else is data
     * @param maxCores most workers of the cluster to use, at least 1
     * @param <R> the result type
     * @return the results in element order, as {@link MemLapply#run(ElementFunction)} returns them
     * @throws IllegalArgumentException when {@code maxCores < 1}, a variable name is empty, or as
     *         {@link MemLapply#run(ElementFunction)} throws it
     * @throws org.memshare.registry.UnknownVariableException for a name that is not registered, before any
     *         worker runs
     * @throws IllegalStateException when the cluster is closed
     * @throws ApplyException when the function throws, the call times out or the caller is interrupted
     * @throws WorkerDiedException when a worker JVM dies during the call
     */
    public static <R> List<R> memLapply(Object x, ElementFunction<? extends R> function, String namespace,
                                        Cluster cluster, Map<String, ?> vars, int maxCores) {
        return memLapply(x).namespace(namespace).cluster(cluster).vars(vars).maxCores(maxCores).run(function);
    }

    /**
     * R memshare's {@code memshare_gc}: releases every view and page of {@code namespace} in this
     * process and in every worker of {@code cluster}. Variables stay registered; only this process's
     * and the workers' mappings of them go.
     *
     * @param namespace the namespace whose views and pages to release
     * @param cluster the cluster whose workers release them too
     * @throws NullPointerException when {@code cluster} is null
     * @throws IllegalStateException when the cluster is closed
     * @throws org.memshare.segment.InvalidNameException when {@code namespace} is not a valid namespace
     */
    public static void gc(String namespace, Cluster cluster) {
        Objects.requireNonNull(cluster, "cluster").releaseNamespace(namespace);
    }

    /**
     * Serializes a function as the clusters ship it, so that a problem shows in the caller, naming the
     * culprit, before any work starts. Other engines that run these functions (memshare-spark) check
     * with it too.
     *
     * {@snippet :
     * byte[] bytes = Apply.serializeFunction((MarginFunction<Double>) (column, vars) -> column.sum());
     * }
     *
     * @param function a {@link MarginFunction} or {@link ElementFunction}
     * @return its serialized form
     * @throws IllegalArgumentException for a function that is not serializable
     *     ({@code function is not serializable: notSerializable=…, function=…})
     */
    public static byte[] serializeFunction(Object function) {
        try {
            return Protocol.serialize(function);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("function is not serializable: notSerializable=" + e.getMessage()
                + ", function=" + function.getClass().getName()
                + " (a lambda must capture only Serializable values; make captured fields static or Serializable)", e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("function cannot be serialized: function=" + function.getClass().getName()
                + ", reason=" + e, e);
        }
    }
}

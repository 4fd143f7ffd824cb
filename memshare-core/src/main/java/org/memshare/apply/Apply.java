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
     * @param x the name of a registered matrix, or matrix data ({@code double[][]} rows or a
     *          {@link org.memshare.registry.Variable.Matrix})
     * @return a call to configure and {@linkplain MemApply#run run}
     */
    public static MemApply memApply(Object x) {
        return new MemApply(x);
    }

    /**
     * @param x the name of a registered list, or list data (a {@code List} of arrays or a
     *          {@link org.memshare.registry.Variable.ListOf})
     * @return a call to configure and {@linkplain MemLapply#run run}
     */
    public static MemLapply memLapply(Object x) {
        return new MemLapply(x);
    }

    /**
     * R's {@code memApply(X, MARGIN, FUN, NAMESPACE, CLUSTER, VARS, MAX.CORES)}.
     *
     * @param vars name to value: a {@code String} value names a registered variable, anything else is data
     * @return the results in order
     */
    public static <R> List<R> memApply(Object x, Margin margin, MarginFunction<? extends R> function, String namespace,
                                       Cluster cluster, Map<String, ?> vars, int maxCores) {
        return memApply(x).margin(margin).namespace(namespace).cluster(cluster).vars(vars).maxCores(maxCores).run(function);
    }

    /**
     * R's {@code memLapply(X, FUN, NAMESPACE, CLUSTER, VARS, MAX.CORES)}.
     *
     * @param vars name to value: a {@code String} value names a registered variable, anything else is data
     * @return the results in order
     */
    public static <R> List<R> memLapply(Object x, ElementFunction<? extends R> function, String namespace,
                                        Cluster cluster, Map<String, ?> vars, int maxCores) {
        return memLapply(x).namespace(namespace).cluster(cluster).vars(vars).maxCores(maxCores).run(function);
    }

    /**
     * R memshare's {@code memshare_gc}: releases every view and page of {@code namespace} in this
     * process and in every worker of {@code cluster}.
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

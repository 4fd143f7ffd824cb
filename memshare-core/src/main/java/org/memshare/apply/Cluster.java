package org.memshare.apply;

import java.util.Objects;
import org.memshare.registry.MemShare;

/**
 * Where {@link Apply#memApply(Object)} and {@link Apply#memLapply(Object)} run: a pool of threads in
 * this JVM, or a pool of worker JVMs. Both are reusable across many calls and must be closed. A
 * cluster belongs to one registry (one segment directory); its workers map variables from there.
 *
 * <p>Calls on one cluster run one after another; a second caller waits for the first to finish.
 *
 * {@snippet :
 * MemShare memShare = MemShare.system();
 * memShare.register("ns", "X", Variable.matrix(1000, 50, data));
 * try (Cluster cluster = Cluster.processes(2, memShare)) {
 *     List<Double> means = Apply.memApply("X").namespace("ns").columns().cluster(cluster)
 *         .run((column, vars) -> column.sum() / column.length());
 * }
 * }
 */
public sealed interface Cluster extends AutoCloseable permits ThreadCluster, ProcessCluster {

    /**
     * Returns R memshare's default worker count: cores − 1, at least 1.
     *
     * @return R memshare's default worker count: cores − 1, at least 1
     */
    static int defaultSize() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    /**
     * Returns a thread cluster of {@link #defaultSize()} threads over {@link MemShare#system()}.
     *
     * @return a thread cluster of {@link #defaultSize()} threads over {@link MemShare#system()}
     */
    static ThreadCluster threads() {
        return threads(defaultSize(), MemShare.system());
    }

    /**
     * Returns a thread cluster of {@code n} threads over {@link MemShare#system()}.
     *
     * @param n threads, at least 1
     * @return a thread cluster of {@code n} threads over {@link MemShare#system()}
     */
    static ThreadCluster threads(int n) {
        return threads(n, MemShare.system());
    }

    /**
     * Makes a thread cluster.
     *
     * @param n threads, at least 1
     * @param registry the registry whose variables the calls name
     * @return a new thread cluster
     * @throws IllegalArgumentException when {@code n < 1}
     */
    static ThreadCluster threads(int n, MemShare registry) {
        return new ThreadCluster(checkSize(n), Objects.requireNonNull(registry, "registry"));
    }

    /**
     * Returns a process cluster of {@link #defaultSize()} worker JVMs over {@link MemShare#system()}.
     *
     * @return a process cluster of {@link #defaultSize()} worker JVMs over {@link MemShare#system()}
     */
    static ProcessCluster processes() {
        return processes(defaultSize(), MemShare.system());
    }

    /**
     * Returns a process cluster of {@code n} worker JVMs over {@link MemShare#system()}.
     *
     * @param n workers, at least 1
     * @return a process cluster of {@code n} worker JVMs over {@link MemShare#system()}
     */
    static ProcessCluster processes(int n) {
        return processes(n, MemShare.system());
    }

    /**
     * Starts {@code n} worker JVMs with {@link WorkerOptions#defaults()}: this JVM's {@code java} and the
     * places its classes were loaded from (see {@link ProcessCluster}); returns without waiting for them
     * (the first call does).
     *
     * @param n workers, at least 1
     * @param registry the registry whose directory the workers map variables from
     * @return a new process cluster
     */
    static ProcessCluster processes(int n, MemShare registry) {
        return processes(n, registry, WorkerOptions.defaults());
    }

    /**
     * Starts {@code n} worker JVMs as {@code options} say (every setting not made derived from this
     * JVM, see {@link ProcessCluster}); returns without waiting for them (the first call does).
     *
     * @param n workers, at least 1
     * @param registry the registry whose directory the workers map variables from
     * @param options the workers' JDK, class path or module path, JVM options and log sink
     * @return a new process cluster
     * @throws IllegalArgumentException when {@code n < 1}
     * @throws java.io.UncheckedIOException when a worker cannot be started
     */
    static ProcessCluster processes(int n, MemShare registry, WorkerOptions options) {
        return new ProcessCluster(checkSize(n), Objects.requireNonNull(registry, "registry"),
            Objects.requireNonNull(options, "options"));
    }

    private static int checkSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a cluster needs at least one worker: n=" + n);
        }
        return n;
    }

    /**
     * Returns the number of threads or worker JVMs.
     *
     * @return the number of threads or worker JVMs
     */
    int size();

    /**
     * Returns the registry the cluster's calls use.
     *
     * @return the registry the cluster's calls use
     */
    MemShare registry();

    /**
     * Returns whether {@link #close()} was called.
     *
     * @return whether {@link #close()} was called
     */
    boolean isClosed();

    /**
     * R memshare's {@code memshare_gc}: releases every view and page of a namespace in this process
     * and in every worker.
     *
     * @param namespace the namespace to release
     * @throws IllegalStateException when the cluster is closed
     */
    void releaseNamespace(String namespace);

    /** Stops every thread or worker JVM. Idempotent. */
    @Override
    void close();
}

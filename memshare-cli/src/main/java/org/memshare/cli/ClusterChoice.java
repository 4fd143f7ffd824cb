package org.memshare.cli;

import java.util.Locale;
import org.memshare.apply.Cluster;
import org.memshare.apply.ProcessCluster;
import org.memshare.registry.MemShare;
import picocli.CommandLine.Option;

/**
 * Where {@code select} ranks ({@code --cluster}): on worker JVMs, on threads of its own JVM, or
 * ({@code auto}, the default) on threads for a small matrix and on worker JVMs otherwise. A worker JVM
 * costs about half a CPU-second before it ranks at full speed (its start-up, and compiling the
 * estimator once more, each JVM for itself); below {@link #THREADS_BELOW_VALUES} values that is a
 * large share of the whole job, or more than all of it, so threads finish sooner; above it the cost
 * shrinks relative to the work and worker JVMs keep a large job apart from the command's JVM
 * (measured in docs/CLI.md). Worker JVM options ask for worker JVMs. Verbs include it with
 * picocli's {@code @Mixin}.
 */
public final class ClusterChoice {
    /** Matrices with fewer values (rows × features) than this rank on threads under {@code auto}. */
    static final long THREADS_BELOW_VALUES = 8L << 20;

    @Option(names = "--cluster", paramLabel = "KIND", defaultValue = "auto",
        description = "Where to rank: processes (worker JVMs), threads (of this JVM), or auto: threads for a matrix"
            + " of fewer than 8,388,608 values (rows x features), where starting JVMs costs more than it gains,"
            + " else worker JVMs (default: ${DEFAULT-VALUE}).")
    private String kind;

    /** Creates the choice; picocli fills it in. */
    public ClusterChoice() {
    }

    /**
     * Starts the cluster for a ranking.
     *
     * @param workers the {@code --workers} value (worker JVMs, or threads of this JVM), or null
     * @param items the features to rank (no more workers than features are started)
     * @param values the values to rank (rows × features), for {@code auto}
     * @param memShare the registry the ranked matrix is in
     * @param workerJvm the worker JVM options; given ones choose worker JVMs under {@code auto}
     * @return the cluster, started (worker JVMs start in the background)
     * @throws UsageException for a kind other than {@code auto}, {@code processes} or {@code threads},
     *                        for a count below 1, and for {@code --threads-per-worker} with {@code threads}
     */
    Cluster start(Integer workers, long items, long values, MemShare memShare, WorkerJvmOptions workerJvm) {
        boolean threads = switch (kind()) {
            case THREADS -> true;
            case PROCESSES -> false;
            case AUTO -> values < THREADS_BELOW_VALUES && !workerJvm.given();
        };
        if (threads && workerJvm.threadsPerWorker() != null) {
            throw new UsageException("--threads-per-worker is for worker JVMs: with --cluster threads, --workers gives"
                + " the threads of this JVM");
        }
        if (threads) {
            return Cluster.threads(Workers.threads(workers, items), memShare);
        }
        Workers.Layout shape = Workers.of(workers, workerJvm.threadsPerWorker(), items);
        return Cluster.processes(shape.jvms(), memShare, workerJvm.workerOptions(shape.threadsEach()));
    }

    /** The kinds {@code --cluster} takes. */
    enum Placement { AUTO, PROCESSES, THREADS }

    /**
     * The kind given.
     *
     * @return the kind
     * @throws UsageException for a kind other than {@code auto}, {@code processes} or {@code threads}
     */
    Placement kind() {
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "auto" -> Placement.AUTO;
            case "processes" -> Placement.PROCESSES;
            case "threads" -> Placement.THREADS;
            default -> throw new UsageException("--cluster must be auto, processes or threads: cluster=" + kind);
        };
    }

    /**
     * Where a cluster ranks, for the summary line.
     *
     * @param cluster a cluster from {@link #start}
     * @return {@code on N worker JVM(s) with T thread(s) each} or {@code on N thread(s) of this JVM}
     */
    static String where(Cluster cluster) {
        return "on " + (cluster instanceof ProcessCluster processes
            ? new Workers.Layout(processes.size(), processes.threadsPerWorker()).describe()
            : cluster.size() + " thread(s) of this JVM");
    }
}

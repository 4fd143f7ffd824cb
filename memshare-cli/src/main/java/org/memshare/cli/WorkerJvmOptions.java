package org.memshare.cli;

import java.util.ArrayList;
import java.util.List;
import org.memshare.apply.WorkerOptions;
import picocli.CommandLine.Option;

/**
 * The worker JVM options of a verb that starts worker JVMs ({@code demo}, {@code select}): each
 * {@code --worker-jvm-option=OPTION} is passed to every worker and replaces the library's default of
 * the same kind (see {@link WorkerOptions}), and {@code --threads-per-worker} sets the threads each
 * worker computes on (see {@link Workers}). Verbs include it with picocli's {@code @Mixin}.
 */
public final class WorkerJvmOptions {
    @Option(names = "--worker-jvm-option", paramLabel = "OPTION",
        description = "A JVM option for every worker JVM, e.g. --worker-jvm-option=-Xmx2g (repeatable; replaces the"
            + " default of the same kind: heap, collector, code cache, stack, class data).")
    private List<String> options = new ArrayList<>();

    @Option(names = "--threads-per-worker", paramLabel = "T",
        description = "Threads each worker JVM ranks on (default: the worker JVMs together have one per core).")
    private Integer threadsPerWorker;

    /** Creates the options; picocli fills them in. */
    public WorkerJvmOptions() {
    }

    /**
     * Whether any worker JVM option was given.
     *
     * @return true when {@code --worker-jvm-option} or {@code --threads-per-worker} was used
     */
    public boolean given() {
        return !options.isEmpty() || threadsPerWorker != null;
    }

    /**
     * The threads per worker JVM given, or null for the default.
     *
     * @return the {@code --threads-per-worker} value, or null
     */
    Integer threadsPerWorker() {
        return threadsPerWorker;
    }

    /**
     * The workers' options: the library's defaults, with the user's JVM options.
     *
     * @param threads the threads each worker computes on
     * @return the options to start the workers with
     */
    public WorkerOptions workerOptions(int threads) {
        return WorkerOptions.builder().jvmOptions(options).threads(threads).build();
    }
}

package org.memshare.cli;

import org.memshare.apply.WorkerOptions;

/**
 * How many workers {@code demo} and {@code select} rank on by default: one thread per core, either
 * threads of the command's own JVM or, on worker JVMs, one JVM with a thread per core. The parent only
 * waits while the workers rank, so it needs no core of its own. One worker JVM rather than one per
 * core: each JVM costs tens of megabytes and compiles the estimator once for itself, and the ranking's
 * function is safe on several threads; on a 2-core host one JVM with 2 threads ranks the demo in 0.8
 * of the time of 2 JVMs and holds about 25 MB less (see docs/CLI.md).
 */
public final class Workers {
    private Workers() {
    }

    /**
     * The worker JVMs and the threads of each that rank.
     *
     * @param jvms worker JVMs
     * @param threadsEach threads each worker JVM computes on
     */
    public record Layout(int jvms, int threadsEach) {
        /**
         * Returns the layout {@code demo} and {@code select} use without {@code --workers} and
         * {@code --threads-per-worker}, for {@code items} features.
         *
         * @param items the features to rank (no more threads than features are started)
         * @return one worker JVM with a thread per core
         */
        public static Layout defaults(long items) {
            return of(null, null, items);
        }

        /**
         * Returns how the layout reads in a summary line.
         *
         * @return {@code N worker JVM(s) with T thread(s) each}
         */
        public String describe() {
            return jvms + " worker JVM(s) with " + threadsEach + " thread(s) each";
        }
    }

    /**
     * The layout from {@code --workers} and {@code --threads-per-worker}: by default one JVM, and threads
     * so that the JVMs together have one per core (at least one each); never more threads in all than
     * items.
     *
     * @throws UsageException when either is below 1, or the threads above {@link WorkerOptions#MAX_THREADS}
     */
    static Layout of(Integer jvms, Integer threadsEach, long items) {
        int cores = Runtime.getRuntime().availableProcessors();
        int workers = atLeastOne("--workers", "workers", jvms == null ? 1 : jvms);
        int threads = atLeastOne("--threads-per-worker", "threadsPerWorker",
            threadsEach == null ? Math.max(1, cores / workers) : threadsEach);
        if (threads > WorkerOptions.MAX_THREADS) {
            throw new UsageException("--threads-per-worker must be at most " + WorkerOptions.MAX_THREADS + ": threadsPerWorker="
                + threads);
        }
        long few = Math.max(1, items);
        int usedJvms = (int) Math.min(workers, few);
        int usedThreads = (int) Math.min(threads, Math.max(1, (few + usedJvms - 1) / usedJvms));
        return new Layout(usedJvms, usedThreads);
    }

    /** Threads of the command's JVM ({@code --cluster threads}): {@code --workers}, or one per core; at most one per item. */
    static int threads(Integer requested, long items) {
        int threads = atLeastOne("--workers", "workers", requested == null ? Runtime.getRuntime().availableProcessors() : requested);
        return (int) Math.min(threads, Math.max(1, items));
    }

    private static int atLeastOne(String option, String key, int value) {
        if (value < 1) {
            throw new UsageException(option + " must be at least 1: " + key + "=" + value);
        }
        return value;
    }
}

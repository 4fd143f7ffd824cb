package org.memshare.apply;

import java.time.Duration;

/**
 * One prepared call: everything checked and registered, ready for a cluster to run.
 *
 * @param spec names of the target and variables
 * @param function the function object (used as is by threads)
 * @param functionBytes the function serialized once (shipped to worker JVMs)
 * @param total number of items
 * @param maxCores most workers to use
 * @param progress listener, never null
 * @param timeout longest the computation may take, or null for no limit
 */
record Call(JobSpec spec, Object function, byte[] functionBytes, long total, int maxCores, ProgressListener progress,
            Duration timeout) {

    /** @return the {@link System#nanoTime()} by which the call must end, counted from now; Long.MAX_VALUE without a timeout */
    long deadlineFromNow() {
        if (timeout == null) {
            return Long.MAX_VALUE;
        }
        long nanos = timeout.toNanos() >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : timeout.toNanos();
        return System.nanoTime() + nanos;
    }

    /** The message of a call that ran out of time. */
    String timedOut(long done, String where) {
        return "call timed out: timeout=" + timeout + ", done=" + done + ", total=" + total + ", variable="
            + spec.namespace() + "." + spec.variable() + ", " + where;
    }

    /** The message of a call whose caller was interrupted. */
    String interrupted(long done, String where) {
        return "call interrupted: done=" + done + ", total=" + total + ", variable=" + spec.namespace() + "."
            + spec.variable() + ", " + where;
    }

    /** Chunk size for dynamic load balancing: about eight chunks per worker, at least one item. */
    long chunkSize(int workers) {
        return Math.max(1, (total + workers * 8L - 1) / (workers * 8L));
    }

    /** The failure message for an index. */
    String failedAt(long index, String where) {
        return "function failed: " + spec.target().itemLabel() + "=" + index + ", variable=" + spec.namespace() + "."
            + spec.variable() + ", " + where;
    }
}

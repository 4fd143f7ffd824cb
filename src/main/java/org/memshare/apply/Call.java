package org.memshare.apply;

/**
 * One prepared call: everything checked and registered, ready for a cluster to run.
 *
 * @param spec names of the target and variables
 * @param function the function object (used as is by threads)
 * @param functionBytes the function serialized once (shipped to worker JVMs)
 * @param total number of items
 * @param maxCores most workers to use
 * @param progress listener, never null
 */
record Call(JobSpec spec, Object function, byte[] functionBytes, long total, int maxCores, ProgressListener progress) {

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

package org.memshare.apply;

/**
 * A worker JVM ended (crashed, was killed) while it held part of a call. The call fails (chunks are
 * not retried, since the function itself may be what kills workers); the cluster replaces the worker
 * and stays usable, and data registered for the call is released.
 */
public final class WorkerDiedException extends ApplyException {
    /** The worker's slot in the cluster, 0-based. */
    private final int worker;
    /** The dead worker's process id. */
    private final long pid;

    /**
     * Creates the exception for a worker that died holding the chunk starting at {@code from}.
     *
     * @param message the message, naming worker, pid, exit code and chunk
     * @param worker the worker's slot in the cluster
     * @param pid the worker's process id
     * @param from first index of the chunk it held
     */
    public WorkerDiedException(String message, int worker, long pid, long from) {
        super(message, from, null);
        this.worker = worker;
        this.pid = pid;
    }

    /**
     * The slot the dead worker held; the cluster starts its replacement in the same slot.
     *
     * @return the worker's slot in the cluster, 0-based
     */
    public int worker() {
        return worker;
    }

    /**
     * The operating system's id of the worker process that died.
     *
     * @return the dead worker's process id
     */
    public long pid() {
        return pid;
    }
}

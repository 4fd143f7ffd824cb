package org.memshare.apply;

/**
 * A worker JVM ended (crashed, was killed) while it held part of a call. The call fails (chunks are
 * not retried, since the function itself may be what kills workers); the cluster replaces the worker
 * and stays usable, and data registered for the call is released.
 */
public final class WorkerDiedException extends ApplyException {
    private final int worker;
    private final long pid;

    /**
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

    /** @return the worker's slot in the cluster, 0-based */
    public int worker() {
        return worker;
    }

    /** @return the dead worker's process id */
    public long pid() {
        return pid;
    }
}

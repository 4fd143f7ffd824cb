package org.memshare.apply;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One call at a time on a cluster: calls and gc take this lock; waiting for it can be interrupted,
 * so a caller stuck behind a long call can give up.
 */
final class CallLock {
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * Waits for the cluster.
     *
     * @param during what the caller waits to do, for the message
     * @param cluster the cluster, for the message
     * @throws ApplyException when interrupted while waiting (the interrupt flag is set again)
     */
    void acquire(String during, Object cluster) {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApplyException("interrupted while waiting for the cluster: during=" + during + ", cluster=" + cluster, -1, e);
        }
    }

    void release() {
        lock.unlock();
    }
}

package org.memshare.apply;

/**
 * The function threw on one slice or element. The message names the 0-based index; the cause is the
 * function's exception: the original on a thread cluster, a {@link RemoteFailure} carrying the
 * worker's class name, message and stack trace on a process cluster. (R memshare returns {@code NA}
 * and prints a message instead.)
 */
public class ApplyException extends RuntimeException {
    /** The 0-based index of the slice or element that failed, or -1. */
    private final long index;

    /**
     * Creates the exception for a failure at {@code index}.
     *
     * @param message the message, {@code key=value} style, naming the index
     * @param index the 0-based row, column or element index, or -1 when no single index failed
     * @param cause the function's exception
     */
    public ApplyException(String message, long index, Throwable cause) {
        super(message, cause);
        this.index = index;
    }

    /**
     * The slice or element whose function call failed.
     *
     * @return the 0-based index of the slice or element that failed, or -1 when the call failed as a whole
     *         (timeout, interruption, a job that could not start)
     */
    public long index() {
        return index;
    }
}

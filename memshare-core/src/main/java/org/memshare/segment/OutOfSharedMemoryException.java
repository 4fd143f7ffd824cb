package org.memshare.segment;

/** The shared-memory file system cannot hold the requested segment; nothing was left behind. */
public final class OutOfSharedMemoryException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message requested and available bytes, in {@code key=value} form
     */
    public OutOfSharedMemoryException(String message) {
        super(message);
    }
}

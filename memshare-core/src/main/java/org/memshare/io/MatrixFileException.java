package org.memshare.io;

/** A matrix file that cannot be read as what it claims to be: the message names the path and the fault. */
public final class MatrixFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, in {@code key=value} style, with the path
     */
    public MatrixFileException(String message) {
        super(message);
    }

    /**
     * Creates the exception for a failure first reported by a lower layer (an I/O error, a bad number).
     *
     * @param message what is wrong, in {@code key=value} style, with the path
     * @param cause the underlying failure
     */
    public MatrixFileException(String message, Throwable cause) {
        super(message, cause);
    }
}

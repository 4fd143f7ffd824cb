package org.memshare.io;

/** A matrix file that cannot be read as what it claims to be: the message names the path and the fault. */
public final class MatrixFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, in {@code key=value} style, with the path
     */
    public MatrixFileException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, in {@code key=value} style, with the path
     * @param cause the underlying failure
     */
    public MatrixFileException(String message, Throwable cause) {
        super(message, cause);
    }
}

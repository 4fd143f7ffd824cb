package org.memshare.spark;

import java.io.Serial;

/**
 * A Spark apply call failed: the function threw (naming the row, column or element and the host), a
 * host could not load a source, or the job failed; the message carries the executor's reason.
 */
public final class SparkApplyException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, in {@code key=value} form
     * @param cause the underlying exception
     */
    public SparkApplyException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.memshare.segment;

/**
 * A name that breaks the naming rule for segments: empty, too long, holding a path separator,
 * {@code ..}, a leading dot or control characters. A caller's mistake, never a state of the system:
 * the command line reports it as a usage error (exit code 2).
 */
public final class InvalidNameException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which name is invalid and why, in {@code key=value} form
     */
    public InvalidNameException(String message) {
        super(message);
    }
}

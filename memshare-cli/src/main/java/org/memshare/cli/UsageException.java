package org.memshare.cli;

/**
 * Bad command-line arguments found while a verb runs (the parser finds the rest): printed with the
 * verb's usage line, exit code 2.
 */
public final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong with the arguments, shown to the user as it is
     */
    public UsageException(String message) {
        super(message);
    }
}

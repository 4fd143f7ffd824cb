package org.memshare.cli;

/** Bad command-line arguments: printed as they are, exit code 2. */
public final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}

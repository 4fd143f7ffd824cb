package org.memshare.cli;

/** Bad command-line arguments: printed as they are, exit code 2. */
final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}

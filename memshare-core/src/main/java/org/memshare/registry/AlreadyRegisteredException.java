package org.memshare.registry;

/** A variable of that name exists already, registered by this or another process (or left by a crash). */
public final class AlreadyRegisteredException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the name and owner, in {@code key=value} form
     */
    public AlreadyRegisteredException(String message) {
        super(message);
    }
}

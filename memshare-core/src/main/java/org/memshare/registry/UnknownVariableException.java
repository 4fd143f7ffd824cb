package org.memshare.registry;

import java.util.NoSuchElementException;

/** No variable of that name is registered (or no view/page of it is held, for a release). */
public final class UnknownVariableException extends NoSuchElementException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is unknown, in {@code key=value} form
     */
    public UnknownVariableException(String message) {
        super(message);
    }
}

package org.memshare.registry;

/** A view was used after it was released; the memory was not touched. */
public final class ViewReleasedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the view's name, in {@code key=value} form
     * @param cause the JVM's report of the closed scope
     */
    public ViewReleasedException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.memshare.apply;

import java.io.Serial;

/**
 * An exception thrown in a worker JVM, rebuilt in the parent: the original class name and message,
 * the worker's stack trace and cause chain. The original exception is not shipped itself, because its
 * class or fields may not be serializable.
 */
public final class RemoteFailure extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The class name of the exception thrown in the worker. */
    private final String remoteClassName;

    private RemoteFailure(String remoteClassName, String message) {
        super(remoteClassName + (message == null ? "" : ": " + message));
        this.remoteClassName = remoteClassName;
    }

    /**
     * The class of the original exception, which may not exist in the parent.
     *
     * @return the class name of the exception in the worker
     */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** Copies a throwable's class name, message, stack trace, suppressed and cause chain. */
    static RemoteFailure of(Throwable t) {
        return of(t, 0);
    }

    private static RemoteFailure of(Throwable t, int depth) {
        if (t instanceof RemoteFailure already) {
            return already;
        }
        RemoteFailure copy = new RemoteFailure(t.getClass().getName(), t.getMessage());
        copy.setStackTrace(t.getStackTrace());
        // A cause chain can be cyclic in badly written exceptions; stop at a sane depth.
        if (t.getCause() != null && t.getCause() != t && depth < 32) {
            copy.initCause(of(t.getCause(), depth + 1));
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (depth < 32) {
                copy.addSuppressed(of(suppressed, depth + 1));
            }
        }
        return copy;
    }
}

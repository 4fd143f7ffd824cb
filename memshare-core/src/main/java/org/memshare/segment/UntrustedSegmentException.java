package org.memshare.segment;

/**
 * A file in the segment directory that memshare will not open: not a regular file (a FIFO, socket,
 * device, directory or symbolic link), owned by another user, or writable by other users; or a
 * segment directory other users could swap files in.
 */
public final class UntrustedSegmentException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message the path and the reason, in {@code key=value} form */
    public UntrustedSegmentException(String message) {
        super(message);
    }
}

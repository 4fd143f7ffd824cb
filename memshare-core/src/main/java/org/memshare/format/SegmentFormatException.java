package org.memshare.format;

/**
 * A segment's bytes are not a valid memshare segment: another program's file, truncated, of a newer
 * format version, or inconsistent. Raised before any out-of-bounds read could happen.
 */
public final class SegmentFormatException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, in {@code key=value} form
     */
    public SegmentFormatException(String message) {
        super(message);
    }

    /**
     * Creates the exception for a problem first reported by a lower layer.
     *
     * @param message what is wrong, in {@code key=value} form
     * @param cause the low-level report it explains (for example the JVM's fault on a truncated file)
     */
    public SegmentFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.memshare.segment.internal;

/** A segment of that name already exists: created by someone else, or left by a crashed process. */
public final class SegmentExistsException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message what exists, in {@code key=value} form */
    public SegmentExistsException(String message) {
        super(message);
    }
}

package org.memshare.segment.internal;

/** No segment of that name exists (never created, already unlinked, or reclaimed). */
public final class SegmentNotFoundException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message what is missing, in {@code key=value} form */
    public SegmentNotFoundException(String message) {
        super(message);
    }
}

package org.memshare.registry;

/**
 * What every kind of view shares: the handle it reads through, and whether it is derived (a column,
 * row or list element lives as long as the view it came from and releases nothing itself).
 */
abstract sealed class HandleView permits VectorView, MatrixView, ListView {
    final ViewHandle handle;
    private final boolean derived;

    HandleView(ViewHandle handle, boolean derived) {
        this.handle = handle;
        this.derived = derived;
    }

    public final QualifiedName name() {
        return handle.name();
    }

    public final Metadata metadata() {
        return handle.metadata();
    }

    public final boolean isWritable() {
        return handle.isWritable();
    }

    public final boolean isReleased() {
        return handle.isReleased();
    }

    /** @see View#close() */
    public final void close() {
        if (!derived) {
            handle.releaseIfHeld();
        }
    }
}

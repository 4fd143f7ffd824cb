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

    /**
     * The name of the variable this view reads.
     *
     * @return the variable viewed
     */
    public final QualifiedName name() {
        return handle.name();
    }

    /**
     * The variable's kind, element type and shape, as read from its header when it was retrieved.
     *
     * @return the variable's metadata
     */
    public final Metadata metadata() {
        return handle.metadata();
    }

    /**
     * Whether the view was retrieved with {@link org.memshare.segment.Access#READ_WRITE}.
     *
     * @return whether writes through this view are allowed
     */
    public final boolean isWritable() {
        return handle.isWritable();
    }

    /**
     * Whether the view can no longer be read: reads of a released view throw
     * {@link ViewReleasedException}.
     *
     * @return whether this view (or the view it was derived from) was released
     */
    public final boolean isReleased() {
        return handle.isReleased();
    }

    /**
     * Whether the name still denotes the file this view maps.
     *
     * @return whether the file mapped is the one registered under the name now
     * @see View#isCurrent()
     */
    public final boolean isCurrent() {
        return handle.isCurrent();
    }

    /**
     * Releases this view's reference, if not released yet; a derived view releases nothing (its
     * origin does). Idempotent, for try-with-resources.
     *
     * @see View#close()
     */
    public final void close() {
        if (!derived) {
            handle.releaseIfHeld();
        }
    }
}

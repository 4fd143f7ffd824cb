package org.memshare.registry;

/**
 * A zero-copy view of a registered variable, in this or another process. Read-only unless retrieved
 * with {@link org.memshare.segment.Access#READ_WRITE}.
 *
 * <p>Each {@code retrieve} returns a new view and takes one reference; {@link #close()} (or
 * {@link MemShare#releaseViews}) gives it back. The mapping stays while any reference is held, so a
 * variable viewed twice and released once is still readable through the other view. A view used
 * after release throws {@link ViewReleasedException}; the JVM never touches unmapped memory. Views
 * derived from a view (a column, a row, a list element) live exactly as long as it.
 *
 * {@snippet :
 * try (MatrixView x = memShare.retrieveMatrix("ns", "X")) {
 *     double total = x.column(0).sum();
 * }
 * }
 */
public sealed interface View extends AutoCloseable permits VectorView, MatrixView, ListView {

    /**
     * The name of the variable this view reads.
     *
     * @return the variable viewed
     */
    QualifiedName name();

    /**
     * The variable's kind, element type and shape, as read from its header when it was retrieved.
     *
     * @return the variable's metadata
     */
    Metadata metadata();

    /**
     * Whether the view was retrieved with {@link org.memshare.segment.Access#READ_WRITE}.
     *
     * @return whether writes through this view are allowed
     */
    boolean isWritable();

    /**
     * Whether the view can no longer be read: reads of a released view throw
     * {@link ViewReleasedException}.
     *
     * @return whether this view (or the view it was derived from) was released
     */
    boolean isReleased();

    /**
     * Whether the variable's name still denotes the file this view maps. It turns false once any
     * process releases the variable (or releases it and registers it again): the view keeps reading
     * the old data, which no other process can retrieve any more. A process that keeps views across
     * tasks checks this before each use to pick up the current copy.
     *
     * {@snippet :
     * if (!x.isCurrent()) {
     *     x.close();
     *     x = memShare.retrieveMatrix("ns", "X");   // the copy registered now
     * }
     * }
     *
     * @return whether the file mapped is the one registered under the name now
     */
    boolean isCurrent();

    /**
     * Releases this view's reference, if not released yet; a derived view releases nothing (its
     * origin does). Idempotent, for try-with-resources; releasing by name twice is an error instead.
     */
    @Override
    void close();
}

package org.memshare.registry;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.memshare.format.SegmentFormatException;

/**
 * One reference to a mapping: what a retrieve takes and a release gives back. The handle has its own
 * shared {@link Arena}, and its {@link #segment()} is the mapping re-scoped to that arena: closing the
 * handle invalidates exactly this view's accesses (they throw instead of reading), while the mapping,
 * owned by the registry, stays for the other handles. The mapping is unmapped only after the last
 * handle is closed, so no handle segment can ever point at unmapped memory.
 */
final class ViewHandle {
    private final MemShare registry;
    private final Mapping mapping;
    private final Arena arena;
    private final MemorySegment segment;
    private final Metadata metadata;
    private final boolean writable;
    private volatile boolean released;

    ViewHandle(MemShare registry, Mapping mapping, Metadata metadata, boolean writable) {
        this.registry = registry;
        this.mapping = mapping;
        this.metadata = metadata;
        this.writable = writable;
        this.arena = Arena.ofShared();
        // A read-only view may share a writable mapping: the JVM then refuses its writes.
        MemorySegment mapped = writable ? mapping.segment() : mapping.segment().asReadOnly();
        this.segment = mapped.reinterpret(arena, null);
    }

    MemorySegment segment() {
        return segment;
    }

    Mapping mapping() {
        return mapping;
    }

    Metadata metadata() {
        return metadata;
    }

    QualifiedName name() {
        return metadata.name();
    }

    boolean isWritable() {
        return writable;
    }

    boolean isReleased() {
        return released;
    }

    /**
     * Releases through the registry, which keeps the per-name lists and reference counts, unless
     * already released: checked under the registry's lock, so close stays idempotent under races.
     */
    void releaseIfHeld() {
        registry.releaseIfHeld(this);
    }

    /** Called by the registry under its lock. */
    void closeArena() {
        released = true;
        arena.close();
    }

    /**
     * Turns the JVM's report of a closed scope into a clear exception, but only when this handle
     * really is closed, so a genuine bug is not disguised.
     */
    RuntimeException translate(IllegalStateException e) {
        if (!arena.scope().isAlive()) {
            return new ViewReleasedException("view used after release: variable=" + name(), e);
        }
        return e;
    }

    /**
     * Explains a fault in an access through this handle. The JVM reports SIGBUS in a memory access as
     * {@link InternalError}; on a mapped file that happens when another process truncated the file
     * under the mapping. Then this is a {@link SegmentFormatException} naming the variable and both
     * sizes; other faults are rethrown as they are.
     */
    RuntimeException fault(InternalError e) {
        long mapped = mapping.segment().byteSize();
        long now;
        try {
            now = mapping.fileSize();
        } catch (RuntimeException unknown) {
            throw e;
        }
        if (now >= mapped) {
            throw e;
        }
        return new SegmentFormatException("segment shrank under a live view: variable=" + name() + ", bytes=" + now
            + ", mapped=" + mapped + " (another process truncated the file; release the view)", e);
    }

    void checkWritable() {
        if (!writable) {
            throw new IllegalStateException("view is read-only: variable=" + name()
                + " (retrieve it with Access.READ_WRITE to write)");
        }
        if (released) {
            throw new ViewReleasedException("view used after release: variable=" + name(), null);
        }
    }
}

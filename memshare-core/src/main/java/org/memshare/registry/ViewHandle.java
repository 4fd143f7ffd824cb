package org.memshare.registry;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.memshare.format.SegmentFormatException;

/**
 * One reference to a mapping: what a retrieve takes and a release gives back.
 *
 * <p>Release is cheap and immediate: it sets a flag that every access of the view checks first, so
 * any use after release, from any thread, throws {@link ViewReleasedException}. The mapping itself
 * is unmapped only later and by the registry, through its shared arena, whose closing waits until no
 * thread is inside an access: a reader racing with the release either reads valid memory or gets an
 * exception, never a crash. A segment handed out to the user ({@link #exposedSegment()}) cannot check
 * the flag, so it is re-scoped to an arena of this handle's own, created on first use and closed at
 * release; only views that hand out segments pay for closing a shared arena.
 */
final class ViewHandle {
    private final MemShare registry;
    private final Mapping mapping;
    private final MemorySegment segment;
    private final boolean writable;
    private volatile boolean released;
    private Arena exposedArena;
    private MemorySegment exposed;

    ViewHandle(MemShare registry, Mapping mapping, boolean writable) {
        this.registry = registry;
        this.mapping = mapping;
        this.writable = writable;
        // A read-only view may share a writable mapping: the JVM then refuses its writes.
        this.segment = writable ? mapping.segment() : mapping.readOnlySegment();
    }

    /** @return whether the mapped file is still the one its name denotes (see {@link View#isCurrent()}) */
    boolean isCurrent() {
        return mapping.isCurrent(registry.store());
    }

    /** @return the mapping, for the view's own accesses, each preceded by {@link #checkNotReleased()} */
    MemorySegment segment() {
        return segment;
    }

    /**
     * @return the mapping re-scoped to this handle's own arena, which release closes: for segments
     *     that leave the view
     * @throws ViewReleasedException after release
     */
    synchronized MemorySegment exposedSegment() {
        checkNotReleased();
        if (exposed == null) {
            exposedArena = Arena.ofShared();
            exposed = segment.reinterpret(exposedArena, null);
        }
        return exposed;
    }

    Mapping mapping() {
        return mapping;
    }

    Metadata metadata() {
        return mapping.metadata();
    }

    QualifiedName name() {
        return mapping.metadata().name();
    }

    boolean isWritable() {
        return writable;
    }

    boolean isReleased() {
        return released;
    }

    /** @throws ViewReleasedException when this handle was released */
    void checkNotReleased() {
        if (released) {
            throw new ViewReleasedException("view used after release: variable=" + name(), null);
        }
    }

    /**
     * Releases through the registry, which keeps the per-name lists and reference counts, unless
     * already released: checked under the registry's lock, so close stays idempotent under races.
     */
    void releaseIfHeld() {
        registry.releaseIfHeld(this);
    }

    /** Called by the registry under its lock, before the mapping's reference is given back. */
    synchronized void markReleased() {
        released = true;
        if (exposedArena != null) {
            exposedArena.close();
        }
    }

    /**
     * Turns the JVM's report of a closed scope (the mapping unmapped after this handle's release)
     * into a clear exception, but only when this handle really is released, so a genuine bug is not
     * disguised.
     */
    RuntimeException translate(IllegalStateException e) {
        if (released) {
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
        checkNotReleased();
    }
}

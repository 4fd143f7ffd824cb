package org.memshare.registry;

import java.lang.foreign.MemorySegment;
import org.memshare.format.internal.SegmentHeader;
import org.memshare.segment.Access;
import org.memshare.segment.internal.MappedSegment;
import org.memshare.segment.internal.SegmentStore;

/**
 * One mapping of one segment file in this process, shared by every view handle on it and counted.
 * When the last handle of a page of this process is released the mapping becomes <em>idle</em>:
 * still mapped, so the next retrieve of the variable reuses it instead of mapping and unmapping
 * (800 MB of address space, and a shared arena to close) each time; the registry unmaps it when the
 * page is released or its file found gone. Guarded by the registry's lock.
 */
final class Mapping {
    /** Mappings are keyed by segment name and access: a writable view needs a writable mapping. */
    record Key(String segmentName, Access access) {
    }

    private final Key key;
    private final MappedSegment mapped;
    private final MemorySegment readOnly;
    private final SegmentHeader header;
    private final Metadata metadata;
    private int references;
    private long idleSinceNanos;

    Mapping(Key key, MappedSegment mapped, SegmentHeader header, Metadata metadata) {
        this.key = key;
        this.mapped = mapped;
        this.readOnly = mapped.segment().asReadOnly();
        this.header = header;
        this.metadata = metadata;
    }

    Key key() {
        return key;
    }

    /** @return the whole mapping, writable when mapped so */
    MemorySegment segment() {
        return mapped.segment();
    }

    /** @return the whole mapping, read-only: what a read-only view reads, even of a writable mapping */
    MemorySegment readOnlySegment() {
        return readOnly;
    }

    /** @return the mapped file's size now (smaller than the mapping when another process truncated it) */
    long fileSize() {
        return mapped.fileSize();
    }

    Object fileKey() {
        return mapped.fileKey();
    }

    /** @return whether the mapping's name still denotes the very file mapped (not released, not re-created) */
    boolean isCurrent(SegmentStore store) {
        return store.fileKey(key.segmentName()).map(fileKey()::equals).orElse(false);
    }

    SegmentHeader header() {
        return header;
    }

    Metadata metadata() {
        return metadata;
    }

    void acquire() {
        references++;
    }

    /** @return whether this was the last reference (the mapping is idle from now on) */
    boolean releaseLast() {
        if (--references == 0) {
            idleSinceNanos = System.nanoTime();
            return true;
        }
        return false;
    }

    boolean isIdle() {
        return references == 0;
    }

    /** @return when the last reference was given back ({@link System#nanoTime()}); meaningful while idle */
    long idleSinceNanos() {
        return idleSinceNanos;
    }

    /**
     * Unmaps: closes the mapping's shared arena, which waits until no thread is inside an access to
     * it, so a stale reader gets an exception, never unmapped memory.
     */
    void unmap() {
        mapped.close();
    }
}

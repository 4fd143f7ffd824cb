package org.memshare.registry;

import java.lang.foreign.MemorySegment;
import org.memshare.format.SegmentHeader;
import org.memshare.segment.Access;
import org.memshare.segment.MappedSegment;

/**
 * One mapping of one segment file in this process, shared by every view handle on it and counted:
 * the registry unmaps it when the last handle is released. Guarded by the registry's lock.
 */
final class Mapping {
    /** Mappings are keyed by segment name and access: a writable view needs a writable mapping. */
    record Key(String segmentName, Access access) {
    }

    private final Key key;
    private final MappedSegment mapped;
    private final SegmentHeader header;
    private final Metadata metadata;
    private int references;

    Mapping(Key key, MappedSegment mapped, SegmentHeader header, Metadata metadata) {
        this.key = key;
        this.mapped = mapped;
        this.header = header;
        this.metadata = metadata;
    }

    Key key() {
        return key;
    }

    MemorySegment segment() {
        return mapped.segment();
    }

    /** @return the mapped file's size now (smaller than the mapping when another process truncated it) */
    long fileSize() {
        return mapped.fileSize();
    }

    Object fileKey() {
        return mapped.fileKey();
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

    /** @return whether this was the last reference (the caller then unmaps) */
    boolean releaseLast() {
        return --references == 0;
    }

    void unmap() {
        mapped.close();
    }
}

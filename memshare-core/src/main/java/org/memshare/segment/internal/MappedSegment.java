package org.memshare.segment.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.memshare.segment.Access;

/**
 * One mapping of a shared-memory segment into this process. It owns the {@link Arena} the mapping
 * lives in: {@link #close()} unmaps, after which every access to {@link #segment()} (or to a segment
 * derived from it) throws {@link IllegalStateException} instead of touching unmapped memory.
 *
 * <p>A mapping is long-lived: map once, hand out slices, close when the last user is gone.
 */
public final class MappedSegment implements AutoCloseable {
    private final String name;
    private final Path path;
    private final Object fileKey;
    private final Access access;
    private final Arena arena;
    private final MemorySegment segment;

    MappedSegment(String name, Path path, Object fileKey, Access access, Arena arena, MemorySegment segment) {
        this.name = name;
        this.path = path;
        this.fileKey = fileKey;
        this.access = access;
        this.arena = arena;
        this.segment = segment;
    }

    /** @return the segment's name in its directory */
    public String name() {
        return name;
    }

    /** @return the file backing the segment */
    public Path path() {
        return path;
    }

    /** @return the file's identity (device and inode) when it was mapped; a re-created name has another */
    public Object fileKey() {
        return fileKey;
    }

    /** @return how the segment is mapped */
    public Access access() {
        return access;
    }

    /** @return the whole mapped segment, read-only when {@link #access()} is {@link Access#READ_ONLY} */
    public MemorySegment segment() {
        return segment;
    }

    /** @return whether the mapping is still in place */
    public boolean isMapped() {
        return arena.scope().isAlive();
    }

    /** Unmaps. Idempotent. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "MappedSegment[name=" + name + ", bytes=" + (isMapped() ? segment.byteSize() : -1)
            + ", access=" + access + "]";
    }
}

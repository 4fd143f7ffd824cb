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
 * <p>A mapping is long-lived: map once, hand out slices, close when the last user is gone. It keeps
 * the file's descriptor open until then, to tell a truncated file from other faults ({@link #fileSize()}).
 */
public final class MappedSegment implements AutoCloseable {
    private final String name;
    private final Path path;
    private final Access access;
    private final Arena arena;
    private final MemorySegment segment;
    private final MappableFile file;

    /**
     * Maps the whole file into a new shared arena of its own. The mapping owns the file from here:
     * when mapping fails, the arena and the file are closed before the exception leaves.
     */
    MappedSegment(String name, Path path, Access access, MappableFile file) {
        this.name = name;
        this.path = path;
        this.access = access;
        this.file = file;
        this.arena = Arena.ofShared();
        try {
            this.segment = file.map(access, arena);
        } catch (RuntimeException | Error e) {
            arena.close();
            file.close();
            throw e;
        }
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
        return file.identity();
    }

    /** @return how the segment is mapped */
    public Access access() {
        return access;
    }

    /** @return the whole mapped segment, read-only when {@link #access()} is {@link Access#READ_ONLY} */
    public MemorySegment segment() {
        return segment;
    }

    /**
     * The size of the mapped file now, read from the descriptor the mapping keeps: smaller than
     * {@code segment().byteSize()} when another process truncated the file, in which case accesses
     * beyond the new end fault (the JVM reports them as {@link InternalError}).
     *
     * @return the file's current size in bytes
     * @throws IllegalStateException when the segment is no longer mapped
     */
    public long fileSize() {
        if (!isMapped()) {
            throw new IllegalStateException("segment is no longer mapped: name=" + name);
        }
        return file.currentSize();
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

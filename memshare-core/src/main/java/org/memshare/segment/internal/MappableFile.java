package org.memshare.segment.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.memshare.segment.Access;
import org.memshare.segment.FileStatus;

/**
 * An open, checked segment file that a {@link MappedSegment} maps and keeps open while mapped, so the
 * file's size can be read again from the open file after another process truncated it: a descriptor
 * checked with {@code statx} (the POSIX store) or a {@link java.nio.channels.FileChannel} (the file store).
 */
sealed interface MappableFile extends AutoCloseable permits TrustedFile, ChannelFile {
    /** @return the file's identity (device, inode) as checked when it was opened */
    FileStatus.Identity identity();

    /** @return the size of the open file now */
    long currentSize();

    /**
     * Maps the whole file (its size when opened) into {@code arena}; closing the arena unmaps it and
     * closes the file. An empty file maps as an empty segment.
     */
    MemorySegment map(Access access, Arena arena);

    /** Closes the file. Idempotent. */
    @Override
    void close();
}

package org.memshare.segment.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.memshare.segment.Access;
import org.memshare.segment.FileStatus;

/**
 * A checked segment file of the file store, open as a {@link FileChannel}: mapped with
 * {@link FileChannel#map(FileChannel.MapMode, long, long, Arena)} and kept open while mapped, so
 * {@link #currentSize()} reads the size of this very file even after its name was reused.
 */
final class ChannelFile implements MappableFile {
    private final Path path;
    private final FileChannel channel;
    private final FileStatus status;
    private boolean closed;

    /** @param status the file's status as checked before opening it (its size is the mapping's) */
    ChannelFile(Path path, FileChannel channel, FileStatus status) {
        this.path = path;
        this.channel = channel;
        this.status = status;
    }

    @Override
    public FileStatus.Identity identity() {
        return status.identity();
    }

    @Override
    public long currentSize() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of segment: path=" + path, e);
        }
    }

    @Override
    public MemorySegment map(Access access, Arena arena) {
        // Closing the arena closes the channel too (a zero-length segment's cleanup action).
        MemorySegment closer = MemorySegment.NULL.reinterpret(0, arena, s -> close());
        long size = status.size();
        if (size == 0) {
            return closer;
        }
        try {
            return channel.map(access == Access.READ_ONLY ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE,
                0, size, arena);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map segment: path=" + path + ", bytes=" + size + ", access=" + access
                + " (" + e.getMessage() + "; check 'ulimit -v' and vm.max_map_count)", e);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing a channel that was only read or mapped: nothing is lost.
            }
        }
    }
}

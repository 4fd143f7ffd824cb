package org.memshare.segment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Positional writes into a segment being created by {@link SegmentStore#createByWriting}: data goes
 * into the file with {@code pwrite}, not through a mapping, so new pages are allocated without being
 * zeroed first and no page tables are built and torn down for data this process will not read.
 * Heap data passes through one reused native buffer.
 */
public final class SegmentOutput {
    private static final int BUFFER_BYTES = 4 << 20;

    private final FileChannel channel;
    private final Path path;
    private final long size;
    private final Arena arena = Arena.ofConfined();
    private MemorySegment buffer;

    SegmentOutput(FileChannel channel, Path path, long size) {
        this.channel = channel;
        this.path = path;
        this.size = size;
    }

    /**
     * Writes all of {@code source} at {@code offset}.
     *
     * @throws IndexOutOfBoundsException when the range lies outside the segment
     * @throws UncheckedIOException when the write fails (an out-of-space error is turned into
     *     {@link OutOfSharedMemoryException} by the store)
     */
    public void write(long offset, MemorySegment source) {
        Objects.checkFromIndexSize(offset, source.byteSize(), size);
        try {
            long done = 0;
            while (done < source.byteSize()) {
                int length = (int) Math.min(BUFFER_BYTES, source.byteSize() - done);
                ByteBuffer bytes;
                if (source.isNative()) {
                    bytes = source.asSlice(done, length).asByteBuffer();
                } else {
                    if (buffer == null) {
                        buffer = arena.allocate(BUFFER_BYTES, 4096);
                    }
                    MemorySegment.copy(source, done, buffer, 0, length);
                    bytes = buffer.asSlice(0, length).asByteBuffer();
                }
                while (bytes.hasRemaining()) {
                    channel.write(bytes, offset + done + bytes.position());
                }
                done += length;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write segment: path=" + path + ", offset=" + offset, e);
        }
    }

    void close() {
        arena.close();
    }
}

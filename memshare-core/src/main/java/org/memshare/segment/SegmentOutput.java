package org.memshare.segment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
    /** Written ranges, start to end, merged: what is left between them is a hole to fill. */
    private final TreeMap<Long, Long> written = new TreeMap<>();

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
            record(offset, offset + source.byteSize());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write segment: path=" + path + ", offset=" + offset, e);
        }
    }

    private void record(long from, long to) {
        if (from == to) {
            return;
        }
        Map.Entry<Long, Long> before = written.floorEntry(from);
        if (before != null && before.getValue() >= from) {
            from = before.getKey();
            to = Math.max(to, before.getValue());
        }
        for (Map.Entry<Long, Long> next = written.ceilingEntry(from); next != null && next.getKey() <= to;
             next = written.ceilingEntry(from)) {
            to = Math.max(to, next.getValue());
            written.remove(next.getKey());
        }
        written.put(from, to);
    }

    /**
     * @param from where the writer's part of the file starts (after a prefix the store wrote itself)
     * @return the ranges {@code [start, end)} no write covered, in order: holes a reader would fault on
     */
    List<long[]> unwritten(long from) {
        List<long[]> holes = new ArrayList<>();
        long at = from;
        for (Map.Entry<Long, Long> range : written.entrySet()) {
            if (range.getKey() > at) {
                holes.add(new long[] {at, range.getKey()});
            }
            at = Math.max(at, range.getValue());
        }
        if (at < size) {
            holes.add(new long[] {at, size});
        }
        return holes;
    }

    void close() {
        arena.close();
    }
}

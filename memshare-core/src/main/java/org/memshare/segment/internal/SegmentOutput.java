package org.memshare.segment.internal;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.memshare.segment.OutOfSharedMemoryException;

/**
 * Positional writes into a segment being created by {@link SegmentStore#createByWriting}: data goes
 * into the file with positional writes, not through a mapping, so new pages are allocated without
 * being zeroed first and no page tables are built and torn down for data this process will not read.
 * The POSIX store writes with {@code pwrite}, Java arrays passing through a small native buffer that
 * stays in the cache (see {@code LibC.pwriteFully}); the file store with a {@code FileChannel}. The
 * ranges written are remembered, so that only the holes left between them need allocating afterwards.
 */
public final class SegmentOutput {
    /** Where a store's positional writes go; it throws the store's own exceptions. */
    @FunctionalInterface
    interface PositionalWrites {
        /** Writes all of {@code source} at {@code offset} of the file. */
        void write(MemorySegment source, long offset);
    }

    private final long size;
    private final PositionalWrites target;
    private final List<long[]> written = new ArrayList<>();

    SegmentOutput(long size, PositionalWrites target) {
        this.size = size;
        this.target = target;
    }

    /**
     * Writes all of {@code source} at {@code offset}.
     *
     * @param offset where in the segment the first byte goes
     * @param source the bytes, on the heap or native
     * @throws IndexOutOfBoundsException when the range lies outside the segment
     * @throws OutOfSharedMemoryException when the file system is full
     * @throws java.io.UncheckedIOException when the write fails otherwise
     */
    public void write(long offset, MemorySegment source) {
        Objects.checkFromIndexSize(offset, source.byteSize(), size);
        target.write(source, offset);
        written.add(new long[] {offset, offset + source.byteSize()});
    }

    /** Records bytes written before the writer ran (the prefix). */
    void markWritten(long from, long to) {
        if (to > from) {
            written.add(new long[] {from, to});
        }
    }

    /** @return the ranges {@code [from, to)} of the segment nothing was written to, in order */
    List<long[]> holes() {
        List<long[]> sorted = new ArrayList<>(written);
        sorted.sort(Comparator.comparingLong(range -> range[0]));
        List<long[]> holes = new ArrayList<>();
        long covered = 0;
        for (long[] range : sorted) {
            if (range[0] > covered) {
                holes.add(new long[] {covered, range[0]});
            }
            covered = Math.max(covered, range[1]);
        }
        if (covered < size) {
            holes.add(new long[] {covered, size});
        }
        return holes;
    }
}

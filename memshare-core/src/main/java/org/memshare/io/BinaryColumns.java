package org.memshare.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.memshare.format.ElementType;

/**
 * Copies a binary matrix from a file into column-major memory through one bounded buffer, with
 * positional reads (a mapping of a file that shrinks under it would fault): column-major data column
 * by column, row-major data transposed tile by tile, so that each tile is read once and written as
 * contiguous runs of each column.
 */
final class BinaryColumns {
    /** The buffer: big enough for long sequential reads, small beside any heap. */
    static final int BLOCK_BYTES = 4 << 20;

    private final Path path;
    private final long dataOffset;
    private final long nrow;
    private final long ncol;
    private final StoredType stored;

    BinaryColumns(Path path, long dataOffset, long nrow, long ncol, StoredType stored) {
        this.path = path;
        this.dataOffset = dataOffset;
        this.nrow = nrow;
        this.ncol = ncol;
        this.stored = stored;
    }

    /** Copies the chosen columns, stored column after column, into {@code target} as {@code type}. */
    void copyColumnMajor(MemorySegment target, ElementType type, int[] columns) throws IOException {
        int size = stored.byteSize();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BLOCK_BYTES, 64);
            long perBlock = BLOCK_BYTES / size;
            for (int k = 0; k < columns.length; k++) {
                long columnStart = dataOffset + columns[k] * nrow * size;
                for (long row = 0; row < nrow; row += perBlock) {
                    long count = Math.min(perBlock, nrow - row);
                    long targetIndex = k * nrow + row;
                    if (stored.sameBytesAs(type) && target.isNative()) {
                        // Straight from the file into shared memory.
                        readFully(channel, target.asSlice(targetIndex * size, count * size).asByteBuffer(),
                            columnStart + row * size);
                    } else {
                        readFully(channel, buffer.asSlice(0, count * size).asByteBuffer(), columnStart + row * size);
                        stored.convert(buffer, 0, size, target, targetIndex, type, count);
                    }
                }
            }
        }
    }

    /**
     * Copies the chosen columns of data stored row after row into {@code target}, column-major, as
     * {@code type}: tiles of whole rows when a row fits the buffer, else of column ranges.
     */
    void copyRowMajor(MemorySegment target, ElementType type, int[] columns) throws IOException {
        int size = stored.byteSize();
        int[] slotOfColumn = slots(columns);
        long tileCols = Math.min(ncol, Math.max(1, BLOCK_BYTES / size));
        long tileRows = Math.max(1, BLOCK_BYTES / (tileCols * size));
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BLOCK_BYTES, 64);
            for (long col0 = 0; col0 < ncol; col0 += tileCols) {
                long cols = Math.min(tileCols, ncol - col0);
                if (!anyChosen(slotOfColumn, col0, cols)) {
                    continue;
                }
                for (long row0 = 0; row0 < nrow; row0 += tileRows) {
                    long rows = Math.min(tileRows, nrow - row0);
                    if (cols == ncol) {
                        readFully(channel, buffer.asSlice(0, rows * cols * size).asByteBuffer(),
                            dataOffset + row0 * ncol * size);
                    } else {
                        for (long r = 0; r < rows; r++) {
                            readFully(channel, buffer.asSlice(r * cols * size, cols * size).asByteBuffer(),
                                dataOffset + ((row0 + r) * ncol + col0) * size);
                        }
                    }
                    for (long c = 0; c < cols; c++) {
                        int slot = slotOfColumn[(int) (col0 + c)];
                        if (slot >= 0) {
                            stored.convert(buffer, c * size, cols * size, target, slot * nrow + row0, type, rows);
                        }
                    }
                }
            }
        }
    }

    private int[] slots(int[] columns) {
        int[] slotOfColumn = new int[Math.toIntExact(ncol)];
        Arrays.fill(slotOfColumn, -1);
        for (int k = 0; k < columns.length; k++) {
            slotOfColumn[columns[k]] = k;
        }
        return slotOfColumn;
    }

    private static boolean anyChosen(int[] slotOfColumn, long from, long count) {
        for (long c = from; c < from + count; c++) {
            if (slotOfColumn[(int) c] >= 0) {
                return true;
            }
        }
        return false;
    }

    private void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int read = channel.read(into, at);
            if (read < 0) {
                throw new MatrixFileException("file is shorter than its header says (changed while reading?): path="
                    + path + ", offset=" + at);
            }
            at += read;
        }
    }
}

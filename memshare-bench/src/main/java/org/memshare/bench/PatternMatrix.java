package org.memshare.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;

/**
 * A double matrix made up on the fly, value {@code (31 i + 7 j) mod 1000} at row {@code i}, column
 * {@code j}: served as a channel of column-major little-endian bytes (to register a matrix of any size
 * through a small buffer) and with its column sums known exactly (small integers, so the sums are
 * exact in double arithmetic).
 *
 * @param nrow rows
 * @param ncol columns
 */
record PatternMatrix(long nrow, int ncol) {

    /** @return the size of the data in bytes */
    long bytes() {
        return nrow * ncol * 8;
    }

    /** @return the exact sum of column {@code j} */
    double columnSum(int j) {
        long sum = 0;
        for (long i = 0; i < nrow; i++) {
            sum += value(i, j);
        }
        return sum;
    }

    private static long value(long i, long j) {
        return (31 * i + 7 * j) % 1000;
    }

    /** @return the data as a channel, column after column */
    ReadableByteChannel channel() {
        return new ReadableByteChannel() {
            private long element;
            private boolean open = true;

            @Override
            public int read(ByteBuffer target) {
                long total = nrow * ncol;
                if (element == total) {
                    return -1;
                }
                ByteBuffer out = target.slice().order(ByteOrder.LITTLE_ENDIAN);
                int count = (int) Math.min(out.remaining() / 8, total - element);
                for (int k = 0; k < count; k++, element++) {
                    out.putDouble(value(element % nrow, element / nrow));
                }
                target.position(target.position() + count * 8);
                return count * 8;
            }

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() {
                open = false;
            }
        };
    }
}

package org.memshare.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.format.ElementType;
import org.memshare.format.Shape;
import org.memshare.testing.ChildJvm;
import org.memshare.testing.TempShm;

/** Registering from a channel: streamed through a buffer, so data larger than the heap registers. */
class RegisterFromTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    /** Column-major doubles {@code k * 0.5} for element k, {@code count} of them, made up as they are read. */
    static ReadableByteChannel halves(long count) {
        return new ReadableByteChannel() {
            private long element;

            @Override
            public int read(ByteBuffer target) {
                if (element == count) {
                    return -1;
                }
                ByteBuffer out = target.slice().order(ByteOrder.LITTLE_ENDIAN);
                int n = (int) Math.min(out.remaining() / 8, count - element);
                for (int k = 0; k < n; k++) {
                    out.putDouble(element++ * 0.5);
                }
                target.position(target.position() + n * 8);
                return n * 8;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void aMatrixIsReadFromTheChannelIntoTheSegment() {
        MemShare ms = MemShare.forDirectory(shm.directory());
        ms.registerFrom("rf", "X", Shape.matrix(ElementType.DOUBLE, 1000, 3), halves(3000));
        try (MatrixView x = ms.retrieveMatrix("rf", "X")) {
            assertEquals(0.5 * 1999, x.get(999, 1));
            assertEquals(0.5 * (2999L * 3000 / 2), x.all().sum());
        }
        ms.releaseVariables("rf", "X");
    }

    @Test
    void aSourceThatEndsEarlyLeavesNothing() throws Exception {
        MemShare ms = MemShare.forDirectory(shm.directory());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ms.registerFrom("rf", "short", Shape.vector(ElementType.DOUBLE, 100), halves(99)));
        assertTrue(e.getMessage().contains("expected=800") && e.getMessage().contains("read=792"), e.getMessage());
        try (var left = Files.list(shm.directory())) {
            assertEquals(List.of(), left.toList());
        }
        ms.registerFrom("rf", "short", Shape.vector(ElementType.DOUBLE, 100), halves(100));
        ms.releaseVariables("rf", "short");
    }

    /** Registers 320 MB from a channel in a JVM whose heap is 256 MB, then prints the sum of its last column. */
    public static final class LargerThanTheHeap {
        public static void main(String[] args) throws Exception {
            MemShare ms = MemShare.forDirectory(Path.of(args[0]));
            long nrow = 1L << 20;
            ms.registerFrom("rf", "big", Shape.matrix(ElementType.DOUBLE, nrow, 40), halves(nrow * 40));
            try (MatrixView x = ms.retrieveMatrix("rf", "big")) {
                System.out.println(x.column(39).sum());
            }
            ms.releaseVariables("rf", "big");
        }
    }

    @Test
    @Timeout(120)
    void dataLargerThanTheHeapRegisters() {
        try (ChildJvm child = ChildJvm.start(LargerThanTheHeap.class, shm.directory().toString())) {
            long nrow = 1L << 20;
            long first = 39 * nrow;
            double expected = 0.5 * ((first + nrow - 1) * (first + nrow) / 2 - (first - 1) * first / 2);
            assertEquals(Double.toString(expected), child.readLine());
            assertEquals(0, child.waitFor());
        }
    }
}

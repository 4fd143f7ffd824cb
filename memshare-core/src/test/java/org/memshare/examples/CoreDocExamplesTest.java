package org.memshare.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.format.ElementType;
import org.memshare.format.Shape;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.registry.SharedObjects;
import org.memshare.registry.Variable;
import org.memshare.registry.VectorView;
import org.memshare.registry.View;

/** The examples of docs/CORE.md, as the document shows them (checked by {@link DocSnippetsTest}). */
class CoreDocExamplesTest {
    @RegisterExtension
    final DocExamples docs = new DocExamples();

    /** Fills a column-major matrix in place: element k is k. */
    private static void fill(MemorySegment data) {
        for (long k = 0; k < data.byteSize() / Double.BYTES; k++) {
            data.setAtIndex(ValueLayout.JAVA_DOUBLE, k, k);
        }
    }

    @Test
    void registerEveryKindOfValue() {
        int n = 1_000;
        int p = 20;
        // docs:begin core-register
        MemShare ms = MemShare.system();                 // or MemShare.forDirectory(dir) for a private directory
        ms.register("ns", "y", new double[] {1, 2, 3});                               // double vector
        ms.register("ns", "X", Variable.matrix(2, 3, new double[] {1, 2, 3, 4, 5, 6})); // column-major
        ms.register("ns", "R", new double[][] {{1, 3, 5}, {2, 4, 6}});               // rows, same matrix
        ms.register("ns", "L", List.of(new double[] {1}, Variable.matrix(1, 1, new double[] {2}))); // list
        ms.register("ns", "i", new int[] {1, 2});        // also long[], float[], byte[] and their matrices
        ms.register("ns", "big", Shape.matrix(ElementType.DOUBLE, n, p), data -> fill(data)); // in place
        // docs:end core-register
        try (MatrixView x = ms.retrieveMatrix("ns", "X"); MatrixView r = ms.retrieveMatrix("ns", "R");
             MatrixView big = ms.retrieveMatrix("ns", "big")) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(x.get(i, j), r.get(i, j), "the rows give the same matrix");
                }
            }
            assertEquals(n * p - 1.0, big.get(n - 1, p - 1));
        }
        assertEquals(List.of(2L), ms.metadata("ns", "i").shape());
    }

    @Test
    void viewsAreZeroCopy() {
        MemShare ms = MemShare.system();
        ms.register("ns", "X", Variable.matrix(2, 3, new double[] {1, 2, 3, 4, 5, 6}));
        String printed = StandardOutput.capture(() -> {
            // docs:begin core-views
            try (MatrixView x = ms.retrieveMatrix("ns", "X")) {
                double v = x.get(1, 2);
                VectorView column = x.column(2);   // contiguous, zero-copy; column.segment() is a MemorySegment
                VectorView row = x.row(1);         // strided, zero-copy
                System.out.println(v + " " + column.sum() + " " + row.sum());   // 6.0 11.0 12.0
            }
            // docs:end core-views
        });
        assertEquals("6.0 11.0 12.0", printed.strip());
        assertTrue(ms.viewList().isEmpty(), "the view is released");
    }

    @Test
    void sharedObjectsAsInR() {
        MemShare ms = MemShare.system();
        // docs:begin core-shared-objects
        SharedObjects so = ms.sharedObjects();
        String id = so.allocateSharedMemory(10);          // or allocateSharedMemory(10, "name")
        MemorySegment memory = so.mapSharedMemory(id);    // read-write
        so.unmapSharedMemory(id);
        so.freeSharedMemory(id);
        View shared = so.share(new double[] {1, 2, 3});   // isShared(shared) is true; listSharedObjects()
        // docs:end core-shared-objects
        assertEquals(10, memory.byteSize());
        assertFalse(so.hasSharedMemory(id));
        assertTrue(so.isShared(shared));
        shared.close();
    }
}

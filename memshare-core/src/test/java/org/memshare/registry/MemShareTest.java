package org.memshare.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.format.ElementType;
import org.memshare.format.Kind;
import org.memshare.format.internal.SegmentLayout;
import org.memshare.format.Shape;
import org.memshare.segment.Access;
import org.memshare.testing.TempShm;

class MemShareTest {
    @RegisterExtension
    final TempShm shm = new TempShm();
    private MemShare ms;

    @BeforeEach
    void open() {
        ms = shm.registry("ns", "other");
    }

    private static double[] sequence(int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = i + 1;
        }
        return values;
    }

    @Test
    void matrixViewsAreColumnMajorWithZeroCopyColumnsAndRealRows() {
        ms.register("ns", "X", Variable.matrix(3, 4, sequence(12)));
        try (MatrixView x = ms.retrieveMatrix("ns", "X")) {
            assertEquals(3, x.nrow());
            assertEquals(4, x.ncol());
            assertEquals(8.0, x.get(1, 2));
            assertArrayEquals(new double[] {7, 8, 9}, x.column(2).toDoubleArray());
            assertTrue(x.column(2).isContiguous());
            assertEquals(3 * 8, x.column(2).segment().byteSize());
            assertEquals(x.segment().address() + 2 * 3 * 8, x.column(2).segment().address(), "column is a slice, not a copy");
            assertArrayEquals(new double[] {2, 5, 8, 11}, x.row(1).toDoubleArray());
            assertFalse(x.row(1).isContiguous());
            assertArrayEquals(sequence(12), x.toColumnMajorArray());
            assertThrows(IndexOutOfBoundsException.class, () -> x.get(3, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> x.column(4));
            assertThrows(IndexOutOfBoundsException.class, () -> x.column(0).get(3), "a column ends at its last row");
            assertThrows(IllegalStateException.class, () -> x.row(0).segment());
        }
    }

    @Test
    void rowsGivenAsArraysBecomeTheSameMatrix() {
        ms.register("ns", "rows", new double[][] {{1, 4, 7, 10}, {2, 5, 8, 11}, {3, 6, 9, 12}});
        try (MatrixView x = ms.retrieveMatrix("ns", "rows")) {
            assertArrayEquals(sequence(12), x.toColumnMajorArray());
        }
    }

    @Test
    void vectorAccessCopyOutSegmentAndBuffer() {
        ms.register("ns", "y", sequence(5));
        try (VectorView y = ms.retrieveVector("ns", "y")) {
            assertEquals(5, y.length());
            assertEquals(3.0, y.get(2));
            double[] part = new double[3];
            y.copyTo(part, 0, 1, 3);
            assertArrayEquals(new double[] {2, 3, 4}, part);
            assertEquals(4.0, y.segment().getAtIndex(ValueLayout.JAVA_DOUBLE, 3));
            assertTrue(y.segment().isReadOnly());
            DoubleBuffer buffer = y.asDoubleBuffer();
            assertEquals(5.0, buffer.get(4));
            assertTrue(buffer.isReadOnly());
            assertEquals(15.0, y.sum());
        }
    }

    @Test
    void everyElementTypeRoundTrips() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("i", new int[] {1, -2, Integer.MAX_VALUE});
        values.put("l", new long[] {1L << 40, -3});
        values.put("f", new float[] {1.5f, -2.25f});
        values.put("b", new byte[] {1, -128, 127});
        values.put("mi", Variable.matrix(2, 2, new int[] {1, 2, 3, 4}));
        ms.registerVariables("ns", values);
        try (VectorView i = ms.retrieveVector("ns", "i"); VectorView l = ms.retrieveVector("ns", "l");
             VectorView f = ms.retrieveVector("ns", "f"); VectorView b = ms.retrieveVector("ns", "b");
             MatrixView mi = ms.retrieveMatrix("ns", "mi")) {
            assertEquals(ElementType.INT, i.elementType());
            assertEquals(Integer.MAX_VALUE, i.getLong(2));
            assertEquals(1L << 40, l.getLong(0));
            assertEquals(-2.25, f.get(1));
            assertEquals(-128, b.getLong(1));
            assertEquals(4.0, mi.get(1, 1));
            assertEquals(ElementType.INT, mi.elementType());
        }
    }

    @Test
    void listsHoldVectorsAndMatrices() {
        ms.register("ns", "L", List.of(Variable.matrix(2, 2, new double[] {1, 2, 3, 4}), new double[] {5, 6, 7}));
        try (ListView list = ms.retrieveList("ns", "L")) {
            assertEquals(2, list.size());
            assertEquals(Kind.MATRIX, list.kind(0));
            assertEquals(3.0, list.matrix(0).get(0, 1));
            assertArrayEquals(new double[] {5, 6, 7}, list.vector(1).toDoubleArray());
            assertInstanceOf(VectorView.class, list.element(1));
            assertThrows(IllegalStateException.class, () -> list.matrix(1));
            Metadata metadata = list.metadata();
            assertEquals(Kind.LIST, metadata.kind());
            assertEquals(List.of(2L), metadata.shape());
            assertEquals(List.of(Shape.matrix(ElementType.DOUBLE, 2, 2), Shape.vector(ElementType.DOUBLE, 3)), metadata.elements());
        }
    }

    @Test
    void zeroLengthDataIsAllowedAndViewable() {
        ms.register("ns", "empty", new double[0]);
        ms.register("ns", "noRows", Variable.matrix(0, 3, new double[0]));
        try (VectorView empty = ms.retrieveVector("ns", "empty"); MatrixView noRows = ms.retrieveMatrix("ns", "noRows")) {
            assertEquals(0, empty.length());
            assertArrayEquals(new double[0], empty.toDoubleArray());
            assertEquals(0, noRows.nrow());
            assertEquals(3, noRows.ncol());
            assertEquals(0, noRows.column(2).length());
        }
    }

    @Test
    void columnNamesTravelWithAMatrixAndBadNamesLeaveNothing() {
        ms.register("ns", "N", Variable.matrix(2, 2, new double[] {1, 2, 3, 4}).withColumnNames("height", "weight"));
        try (MatrixView view = ms.retrieveMatrix("ns", "N")) {
            assertEquals(List.of("height", "weight"), view.columnNames());
            assertEquals(List.of("height", "weight"), view.metadata().columnNames());
            assertEquals(4.0, view.get(1, view.columnIndex("weight")));
            assertThrows(IllegalArgumentException.class, () -> view.columnIndex("age"));
        }
        ms.register("ns", "P", Shape.matrix(ElementType.INT, 1, 2), List.of("a", "b"),
            data -> data.setAtIndex(ValueLayout.JAVA_INT, 1, 7));
        try (MatrixView view = ms.retrieveMatrix("ns", "P")) {
            assertEquals(List.of("a", "b"), view.columnNames());
            assertEquals(7.0, view.get(0, 1));
        }
        assertThrows(IllegalArgumentException.class, () -> Variable.matrix(1, 2, new double[2]).withColumnNames("only"));
        assertThrows(IllegalArgumentException.class,
            () -> ms.register("ns", "D", Variable.matrix(1, 2, new double[2]).withColumnNames("x", "x")));
        assertThrows(IllegalArgumentException.class,
            () -> ms.register("ns", "E", Shape.matrix(ElementType.DOUBLE, 1, 2), List.of("x", ""), data -> { }));
        assertFalse(ms.exists("ns", "D") || ms.exists("ns", "E"), "a refused registration leaves no file");
        ms.releaseVariables("ns", "N", "P");
    }

    @Test
    void metadataReportsShapeOwnerAndVersion() {
        ms.register("ns", "mat", Variable.matrix(3, 4, sequence(12)));
        Metadata md = ms.retrieveMetadata("ns", "mat").getFirst();
        assertEquals(Kind.MATRIX, md.kind());
        assertEquals(3, md.nrow());
        assertEquals(4, md.ncol());
        assertEquals(ElementType.DOUBLE, md.elementType());
        assertEquals(96, md.dataBytes());
        assertEquals(ProcessHandle.current().pid(), md.owner().pid());
        assertEquals(SegmentLayout.FORMAT_VERSION, md.formatVersion());
        assertEquals(StorageLayout.MEMSHARE, md.layout());
        ms.releaseViews("ns", "mat");
    }

    @Test
    void registeringAnExistingNameFailsNamingIt() {
        ms.register("ns", "dup", new double[] {1});
        AlreadyRegisteredException e = assertThrows(AlreadyRegisteredException.class, () -> ms.register("ns", "dup", new double[] {2}));
        assertTrue(e.getMessage().contains("variable=ns.dup"), e.getMessage());
        try (VectorView v = ms.retrieveVector("ns", "dup")) {
            assertEquals(1.0, v.get(0), "the first registration is untouched");
        }
    }

    @Test
    void aFailedRegistrationOfManyLeavesNothingBehind() {
        ms.register("ns", "b", new double[] {1});
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("a", new double[] {1});
        values.put("b", new double[] {2});
        assertThrows(AlreadyRegisteredException.class, () -> ms.registerVariables("ns", values));
        assertFalse(ms.exists("ns", "a"));
        assertEquals(List.of("ns.b"), ms.pageList());
    }

    @Test
    void writableViewsWriteThroughAndReadOnlyViewsRefuse() {
        ms.register("ns", "w", new double[] {1, 2, 3});
        try (VectorView writer = ms.retrieveVector("ns", "w", Access.READ_WRITE);
             VectorView reader = ms.retrieveVector("ns", "w")) {
            writer.set(1, 20);
            assertEquals(20.0, reader.get(1));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> reader.set(0, 5));
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> reader.segment().set(ValueLayout.JAVA_DOUBLE, 0, 5.0));
        }
    }

    @Test
    void badInputGivesClearExceptions() {
        assertThrows(NullPointerException.class, () -> ms.register(null, "x", new double[1]));
        assertThrows(IllegalArgumentException.class, () -> ms.register("", "x", new double[1]));
        NullPointerException nullName = assertThrows(NullPointerException.class, () -> ms.register("ns", null, new double[1]));
        assertEquals("variable name must not be null: namespace=ns, index=0", nullName.getMessage());
        NullPointerException nullValue = assertThrows(NullPointerException.class, () -> ms.register("ns", "x", null));
        assertEquals("value must not be null: variable=ns.x", nullValue.getMessage());
        NullPointerException nullView = assertThrows(NullPointerException.class, () -> ms.retrieveViews("ns", "a", null));
        assertEquals("variable name must not be null: namespace=ns, index=1", nullView.getMessage());
        NullPointerException nullRow = assertThrows(NullPointerException.class,
            () -> Variable.matrixFromRows(new double[][] {{1}, {2}, null, {4}}));
        assertEquals("rows[2] must not be null", nullRow.getMessage());
        NullPointerException nullNamespace = assertThrows(NullPointerException.class, () -> ms.register(null, "x", new double[1]));
        assertEquals("namespace must not be null", nullNamespace.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ms.register("ns", "", new double[1]));
        assertThrows(IllegalArgumentException.class, () -> ms.register("n.s", "x", new double[1]));
        assertThrows(IllegalArgumentException.class, () -> ms.register("ns", "../x", new double[1]));
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
            () -> ms.registerVariables("ns", List.of("a", "a"), List.of(new double[1], new double[1])));
        assertTrue(dup.getMessage().contains("named twice"), dup.getMessage());
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
            () -> ms.register("ns", "r", new double[][] {{1, 2}, {3}}));
        assertTrue(ragged.getMessage().contains("ragged"), ragged.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Variable.matrix(-1, 2, new double[0]));
        assertThrows(IllegalArgumentException.class, () -> Variable.matrix(2, 2, new double[3]));
        IllegalArgumentException nested = assertThrows(IllegalArgumentException.class,
            () -> ms.register("ns", "nested", List.of(List.of(new double[1]))));
        assertTrue(nested.getMessage().contains("nest"), nested.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ms.register("ns", "str", "not data"));
        assertThrows(IllegalArgumentException.class, () -> ms.registerVariables("ns", List.of("a"), List.of()));
        UnknownVariableException unknown = assertThrows(UnknownVariableException.class, () -> ms.retrieveView("ns", "nope"));
        assertTrue(unknown.getMessage().contains("variable=ns.nope"), unknown.getMessage());
        assertThrows(UnknownVariableException.class, () -> ms.releaseViews("ns", "nope"));
        assertThrows(UnknownVariableException.class, () -> ms.releaseVariables("ns", "nope"));
        assertTrue(ms.pageList().isEmpty(), "nothing was left behind: " + ms.pageList());
        assertEquals(0, shm.directory().toFile().list().length, Arrays.toString(shm.directory().toFile().list()));
    }

    @Test
    void wrongKindIsAClearError() {
        ms.register("ns", "v", new double[] {1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ms.retrieveMatrix("ns", "v"));
        assertTrue(e.getMessage().contains("not a matrix"), e.getMessage());
        assertTrue(ms.viewList().isEmpty(), "the refused view was released");
    }

    @Test
    void registerInPlaceWritesStraightIntoSharedMemory() {
        ms.register("ns", "direct", Shape.matrix(ElementType.DOUBLE, 2, 2), data -> {
            for (int k = 0; k < 4; k++) {
                data.setAtIndex(ValueLayout.JAVA_DOUBLE, k, k * 10);
            }
        });
        try (MatrixView m = ms.retrieveMatrix("ns", "direct")) {
            assertEquals(30.0, m.get(1, 1));
        }
        assertThrows(IllegalStateException.class, () -> ms.register("ns", "failing", Shape.vector(ElementType.DOUBLE, 2), data -> {
            throw new IllegalStateException("writer failed");
        }));
        assertFalse(ms.exists("ns", "failing"), "a failed writer leaves no segment");
    }
}

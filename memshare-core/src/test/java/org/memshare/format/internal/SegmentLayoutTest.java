package org.memshare.format.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.memshare.segment.ProcessIdentity;
import org.memshare.format.ElementType;
import org.memshare.format.Kind;
import org.memshare.format.SegmentFormatException;
import org.memshare.format.Shape;

class SegmentLayoutTest {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ProcessIdentity OWNER = new ProcessIdentity(4242, 777);

    private static MemorySegment written(Kind kind, List<Shape> shapes) {
        SegmentHeader header = SegmentLayout.plan(kind, shapes, OWNER, 1_700_000_000_000L);
        MemorySegment segment = Arena.ofAuto().allocate(header.totalBytes(), 64);
        SegmentLayout.writePending(segment, header);
        SegmentLayout.publish(segment);
        return segment;
    }

    @Test
    void matrixHeaderBytesAreWhereTheDescriptorSays() {
        MemorySegment s = written(Kind.MATRIX, List.of(Shape.matrix(ElementType.DOUBLE, 3, 4)));
        assertEquals("MEMSHARE", new String(s.asSlice(0, 8).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
        assertEquals(SegmentLayout.FORMAT_VERSION, s.get(I32, 8));
        assertEquals(Kind.MATRIX.code(), s.get(I32, 12));
        assertEquals(ElementType.DOUBLE.code(), s.get(I32, 16));
        assertEquals(128, s.get(I32, 20));
        assertEquals(3L, s.get(I64, 24));
        assertEquals(4L, s.get(I64, 32));
        assertEquals(96L, s.get(I64, 40));
        assertEquals(4242L, s.get(I64, 48));
        assertEquals(777L, s.get(I64, 56));
        assertEquals(1_700_000_000_000L, s.get(I64, 64));
        assertEquals(128 + 96, s.byteSize());
        SegmentHeader read = SegmentLayout.read(s, "m");
        assertEquals(Kind.MATRIX, read.kind());
        assertEquals(Shape.matrix(ElementType.DOUBLE, 3, 4), read.single().shape());
        assertEquals(128, read.single().offset());
        assertEquals(OWNER, read.owner());
    }

    @Test
    void listElementsAre64ByteAlignedAndRoundTrip() {
        List<Shape> shapes = List.of(Shape.vector(ElementType.INT, 3), Shape.matrix(ElementType.DOUBLE, 2, 2),
            Shape.vector(ElementType.BYTE, 0), Shape.vector(ElementType.FLOAT, 5));
        MemorySegment s = written(Kind.LIST, shapes);
        SegmentHeader read = SegmentLayout.read(s, "l");
        assertEquals(4, read.arrays().size());
        for (int i = 0; i < shapes.size(); i++) {
            assertEquals(shapes.get(i), read.arrays().get(i).shape());
            assertEquals(0, read.arrays().get(i).offset() % SegmentLayout.ALIGNMENT);
            assertTrue(read.arrays().get(i).offset() >= SegmentLayout.HEADER_BYTES + 4L * SegmentLayout.ENTRY_BYTES);
        }
        assertEquals(ElementType.NONE_CODE, s.get(I32, SegmentLayout.ELEMENT_TYPE_OFFSET));
    }

    @Test
    void foreignBytesAreRefused() {
        MemorySegment s = Arena.ofAuto().allocate(4096);
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        MemorySegment.copy(MemorySegment.ofArray(noise), 0, s, 0, 4096);
        SegmentFormatException e = assertThrows(SegmentFormatException.class, () -> SegmentLayout.read(s, "noise"));
        assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
        assertEquals(null, SegmentLayout.ownerOrNull(s));
    }

    @Test
    void truncatedSegmentsAreRefusedBeforeAnyRead() {
        MemorySegment full = written(Kind.VECTOR, List.of(Shape.vector(ElementType.DOUBLE, 100)));
        assertThrows(SegmentFormatException.class, () -> SegmentLayout.read(full.asSlice(0, 64), "short"));
        SegmentFormatException e = assertThrows(SegmentFormatException.class,
            () -> SegmentLayout.read(full.asSlice(0, 128 + 799), "cut"));
        assertTrue(e.getMessage().contains("do not match"), e.getMessage());
    }

    @Test
    void newerVersionIsRefused() {
        MemorySegment s = written(Kind.VECTOR, List.of(Shape.vector(ElementType.DOUBLE, 1)));
        s.set(I32, SegmentLayout.VERSION_OFFSET, SegmentLayout.FORMAT_VERSION + 1);
        SegmentFormatException e = assertThrows(SegmentFormatException.class, () -> SegmentLayout.read(s, "v"));
        assertTrue(e.getMessage().contains("newer format version"), e.getMessage());
    }

    @Test
    void pendingSegmentIsRefusedButHasAnOwner() {
        SegmentHeader header = SegmentLayout.plan(Kind.VECTOR, List.of(Shape.vector(ElementType.DOUBLE, 1)), OWNER, 0);
        MemorySegment s = Arena.ofAuto().allocate(header.totalBytes(), 64);
        SegmentLayout.writePending(s, header);
        assertTrue(SegmentLayout.isPending(s));
        assertEquals(OWNER, SegmentLayout.ownerOrNull(s));
        SegmentFormatException e = assertThrows(SegmentFormatException.class, () -> SegmentLayout.read(s, "p"));
        assertTrue(e.getMessage().contains("not complete"), e.getMessage());
    }

    @Test
    void inconsistentFieldsAreRefused() {
        MemorySegment kind = written(Kind.VECTOR, List.of(Shape.vector(ElementType.DOUBLE, 4)));
        kind.set(I32, SegmentLayout.KIND_OFFSET, 99);
        assertThrows(SegmentFormatException.class, () -> SegmentLayout.read(kind, "k"));

        MemorySegment type = written(Kind.VECTOR, List.of(Shape.vector(ElementType.DOUBLE, 4)));
        type.set(I32, SegmentLayout.ELEMENT_TYPE_OFFSET, 77);
        assertThrows(SegmentFormatException.class, () -> SegmentLayout.read(type, "t"));

        MemorySegment negative = written(Kind.VECTOR, List.of(Shape.vector(ElementType.DOUBLE, 4)));
        negative.set(I64, SegmentLayout.DIM0_OFFSET, -4L);
        assertThrows(SegmentFormatException.class, () -> SegmentLayout.read(negative, "n"));

        MemorySegment overflow = written(Kind.MATRIX, List.of(Shape.matrix(ElementType.DOUBLE, 2, 2)));
        overflow.set(I64, SegmentLayout.DIM0_OFFSET, Long.MAX_VALUE / 2);
        assertThrows(SegmentFormatException.class, () -> SegmentLayout.read(overflow, "o"));

        MemorySegment list = written(Kind.LIST, List.of(Shape.vector(ElementType.DOUBLE, 2)));
        list.set(I64, SegmentLayout.HEADER_BYTES + SegmentLayout.ENTRY_DATA_OFFSET_OFFSET, 1L << 40);
        SegmentFormatException e = assertThrows(SegmentFormatException.class, () -> SegmentLayout.read(list, "l"));
        assertTrue(e.getMessage().contains("element=0"), e.getMessage());

        MemorySegment listSize = written(Kind.LIST, List.of(Shape.vector(ElementType.DOUBLE, 2)));
        listSize.set(I64, SegmentLayout.DIM0_OFFSET, 1_000_000L);
        assertThrows(SegmentFormatException.class, () -> SegmentLayout.read(listSize, "ls"));
    }

    @Test
    void shapesRejectBadDimensions() {
        assertThrows(IllegalArgumentException.class, () -> Shape.matrix(ElementType.DOUBLE, -1, 2));
        assertThrows(IllegalArgumentException.class, () -> Shape.matrix(ElementType.DOUBLE, Long.MAX_VALUE, 2));
        assertThrows(IllegalArgumentException.class, () -> new Shape(Kind.VECTOR, ElementType.DOUBLE, 3, 2));
        assertEquals(0, Shape.vector(ElementType.DOUBLE, 0).dataBytes());
    }

    @Test
    void emptyVectorHasAHeaderOnly() {
        MemorySegment s = written(Kind.VECTOR, List.of(Shape.vector(ElementType.DOUBLE, 0)));
        assertEquals(SegmentLayout.HEADER_BYTES, s.byteSize());
        assertEquals(0, SegmentLayout.read(s, "e").single().shape().rows());
    }

    private static MemorySegment writtenWithNames(List<String> names) {
        SegmentHeader header = SegmentLayout.plan(Kind.MATRIX, List.of(Shape.matrix(ElementType.DOUBLE, 3, names.size())),
            names, OWNER, 1L);
        MemorySegment segment = Arena.ofAuto().allocate(header.totalBytes(), 64);
        SegmentLayout.writePending(segment, header);
        SegmentLayout.writeNames(segment, header);
        SegmentLayout.publish(segment);
        return segment;
    }

    @Test
    void columnNamesFollowTheDataAndRoundTrip() {
        List<String> names = List.of("age", "d\u00f6se", "\u6f22\u5b57");
        MemorySegment s = writtenWithNames(names);
        long namesOffset = SegmentLayout.align(128 + 3 * 3 * 8);
        assertEquals(namesOffset, s.get(I64, SegmentLayout.NAMES_OFFSET_OFFSET));
        assertEquals(3L, s.get(I64, SegmentLayout.NAMES_COUNT_OFFSET));
        assertEquals(3, s.get(I32, namesOffset));
        assertEquals(s.byteSize(), namesOffset + s.get(I64, SegmentLayout.NAMES_BYTES_OFFSET));
        SegmentHeader read = SegmentLayout.read(s, "named");
        assertEquals(names, read.columnNames());
        assertEquals(s.byteSize(), read.totalBytes());
        assertEquals(List.of(), SegmentLayout.read(s.asSlice(0, 128), s.byteSize(), "head").columnNames(),
            "a header read alone has no names, but is valid");
    }

    @Test
    void versionOneSegmentsAreStillRead() {
        MemorySegment s = written(Kind.MATRIX, List.of(Shape.matrix(ElementType.DOUBLE, 2, 2)));
        s.set(I32, SegmentLayout.VERSION_OFFSET, 1);
        SegmentHeader read = SegmentLayout.read(s, "v1");
        assertEquals(1, read.formatVersion());
        assertEquals(List.of(), read.columnNames());
        s.set(I32, SegmentLayout.VERSION_OFFSET, 0);
        assertThrows(SegmentFormatException.class, () -> SegmentLayout.read(s, "v0"));
    }

    @Test
    void damagedColumnNamesAreRefused() {
        List<String> names = List.of("a", "b");
        long at = SegmentLayout.align(128 + 3 * 2 * 8);
        MemorySegment count = writtenWithNames(names);
        count.set(I64, SegmentLayout.NAMES_COUNT_OFFSET, 3L);
        assertMessage(count, "do not match the header");
        MemorySegment beyond = writtenWithNames(names);
        beyond.set(I64, SegmentLayout.NAMES_BYTES_OFFSET, 1L << 40);
        assertMessage(beyond, "do not match the header");
        MemorySegment length = writtenWithNames(names);
        length.set(I32, at, 100);
        assertMessage(length, "out of bounds");
        MemorySegment empty = writtenWithNames(names);
        empty.set(I32, at, 0);
        assertMessage(empty, "out of bounds");
        MemorySegment utf8 = writtenWithNames(names);
        utf8.set(ValueLayout.JAVA_BYTE, at + 4, (byte) 0xC3);
        assertMessage(utf8, "not valid UTF-8");
        MemorySegment vector = written(Kind.VECTOR, List.of(Shape.vector(ElementType.DOUBLE, 2)));
        vector.set(I64, SegmentLayout.NAMES_COUNT_OFFSET, 1L);
        assertMessage(vector, "only a matrix");
    }

    @Test
    void plannedNamesMustFitTheColumns() {
        List<Shape> shape = List.of(Shape.matrix(ElementType.DOUBLE, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> SegmentLayout.plan(Kind.MATRIX, shape, List.of("a"), OWNER, 0));
        assertThrows(IllegalArgumentException.class, () -> SegmentLayout.plan(Kind.MATRIX, shape, List.of("a", "a"), OWNER, 0));
        assertThrows(IllegalArgumentException.class, () -> SegmentLayout.plan(Kind.MATRIX, shape, List.of("a", ""), OWNER, 0));
        assertThrows(IllegalArgumentException.class,
            () -> SegmentLayout.plan(Kind.MATRIX, shape, List.of("a", "x".repeat(1025)), OWNER, 0));
        assertThrows(IllegalArgumentException.class,
            () -> SegmentLayout.plan(Kind.MATRIX, shape, List.of("a", "\ud800"), OWNER, 0));
    }

    private static void assertMessage(MemorySegment segment, String expected) {
        SegmentFormatException e = assertThrows(SegmentFormatException.class, () -> SegmentLayout.read(segment, "bad"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}

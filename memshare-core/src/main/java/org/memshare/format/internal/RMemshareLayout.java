package org.memshare.format.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.memshare.segment.ProcessIdentity;
import org.memshare.format.ElementType;
import org.memshare.format.Kind;
import org.memshare.format.SegmentFormatException;
import org.memshare.format.Shape;

/**
 * Descriptor of R memshare's storage layout (CRAN package {@code memshare} 1.x, Linux): every offset,
 * the writer of the metadata records and the validating reader. No offset of this layout is written
 * anywhere else; {@code docs/INTEROP.md} restates this class for other languages.
 *
 * <p>A variable {@code <ns>.<var>} is two POSIX shared-memory objects: the <em>data object</em>
 * {@code <ns>.<var>} and the <em>metadata object</em> {@code <ns>.md.<var>}. The metadata object holds
 * 24-byte records (R memshare's {@code struct metadata}: a C enum, then a union of two
 * {@code size_t}), native byte order, which is little-endian on every platform R memshare builds on
 * that we support:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |      Type Code (i32)          |   Padding (4 bytes, ignored)  |  0
 *  +-------------------------------+-------------------------------+
 *  |  Field A (u64): matrix nrow | vector n | list element count   |  8
 *  +---------------------------------------------------------------+
 *  |  Field B (u64): matrix ncol | vector 0 | list total doubles   |  16
 *  +---------------------------------------------------------------+
 * </pre>
 * Type codes: {@value #TYPE_MATRIX} matrix, {@value #TYPE_VECTOR} vector, {@value #TYPE_LIST} list.
 * A vector or matrix has exactly one record and its data object is the raw doubles, column-major,
 * nothing else. A list of n elements has n + 1 records (its own, then one per element, each a vector
 * or matrix; lists do not nest) and its data object is
 * <pre>
 *  +---------------------------------------------------------------+
 *  |  Offset 0 (u64) ... Offset n-1 (u64): where element i starts, |  0
 *  |  counted in doubles from the end of this table                |
 *  +---------------------------------------------------------------+
 *  |  Element doubles, column-major, all elements back to back     |  8 * n
 *  +---------------------------------------------------------------+
 * </pre>
 * Only doubles exist in this layout; elements are 8-byte aligned (the object is page-aligned and the
 * table is whole u64s).
 *
 * <p><b>Publication rule.</b> R memshare has none: R fills both objects right after creating them and
 * its reader trusts the metadata. Our writer therefore creates and fills the data object first and
 * the metadata object last, so an R reader that finds the metadata finds complete data (except for
 * the few instructions between creating the metadata object and writing its 24-byte records, during
 * which a reader sees zero records, which this validator rejects as inconsistent sizes). The layout
 * records no owner, no creation time and no version: {@link #read} reports pid 0 and the epoch, and
 * such variables are never reclaimed as orphans.
 */
public final class RMemshareLayout {
    /** Type code of a matrix record. */
    public static final int TYPE_MATRIX = 0;
    /** Type code of a vector record. */
    public static final int TYPE_VECTOR = 1;
    /** Type code of a list record. */
    public static final int TYPE_LIST = 2;

    /** Offset of a record's type code (i32). */
    public static final int RECORD_TYPE_OFFSET = 0;
    /** Offset of a record's padding, written as zero, never read. */
    public static final int RECORD_PADDING_OFFSET = RECORD_TYPE_OFFSET + 4;
    /** Offset of field A (u64): nrow, n, or list element count. */
    public static final int RECORD_FIELD_A_OFFSET = RECORD_PADDING_OFFSET + 4;
    /** Offset of field B (u64): ncol, 0, or the list's total doubles. */
    public static final int RECORD_FIELD_B_OFFSET = RECORD_FIELD_A_OFFSET + 8;
    /** Size of one metadata record. */
    public static final int RECORD_BYTES = RECORD_FIELD_B_OFFSET + 8;

    /** Size of one entry of a list's offset table. */
    public static final int LIST_OFFSET_BYTES = 8;
    /** Size of one element: the layout holds doubles only. */
    public static final int ELEMENT_BYTES = 8;

    /** Infix between namespace and variable in the metadata object's name. */
    public static final String METADATA_INFIX = ".md.";

    /** Format version reported for this layout, which has none. */
    public static final int NO_VERSION = 0;

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private RMemshareLayout() {
    }

    /** @return the data object's name, {@code <ns>.<var>} */
    public static String dataName(String namespace, String variable) {
        return namespace + "." + variable;
    }

    /** @return the metadata object's name, {@code <ns>.md.<var>} */
    public static String metadataName(String namespace, String variable) {
        return namespace + METADATA_INFIX + variable;
    }

    /**
     * Plans a variable in this layout: where each array's doubles lie in the data object and how big
     * both objects are.
     *
     * @param kind vector, matrix or list
     * @param shapes one shape, or a list's element shapes; all of element type double
     * @return the placements (offsets from the start of the data object) and sizes
     * @throws IllegalArgumentException for other element types, nested lists, empty arrays (R
     *     memshare cannot map an empty object) or sizes that overflow
     */
    public static Plan plan(Kind kind, List<Shape> shapes) {
        if (kind == Kind.RAW) {
            throw new IllegalArgumentException("R memshare's layout has no raw segments: kind=" + kind.label());
        }
        if (kind != Kind.LIST && shapes.size() != 1) {
            throw new IllegalArgumentException("a " + kind.label() + " has exactly one array: arrays=" + shapes.size());
        }
        try {
            long tableBytes = kind == Kind.LIST ? Math.multiplyExact((long) LIST_OFFSET_BYTES, shapes.size()) : 0;
            long position = tableBytes;
            List<ArrayPlacement> placements = new ArrayList<>(shapes.size());
            for (int i = 0; i < shapes.size(); i++) {
                Shape shape = shapes.get(i);
                if (shape.elementType() != ElementType.DOUBLE) {
                    throw new IllegalArgumentException("R memshare's layout holds doubles only: element=" + i
                        + ", elementType=" + shape.elementType().label());
                }
                if (shape.kind() != Kind.VECTOR && shape.kind() != Kind.MATRIX) {
                    throw new IllegalArgumentException("R memshare's layout stores vectors and matrices (lists do"
                        + " not nest): element=" + i + ", kind=" + shape.kind().label());
                }
                if (kind != Kind.LIST && shape.kind() != kind) {
                    throw new IllegalArgumentException("shape kind does not match: kind=" + kind.label()
                        + ", shapeKind=" + shape.kind().label());
                }
                placements.add(new ArrayPlacement(shape, position));
                position = Math.addExact(position, shape.dataBytes());
            }
            if (position == 0) {
                throw new IllegalArgumentException("R memshare cannot map an empty object: kind=" + kind.label()
                    + ", dataBytes=0");
            }
            long metadataBytes = Math.multiplyExact((long) RECORD_BYTES, kind == Kind.LIST ? shapes.size() + 1L : 1L);
            return new Plan(kind, placements, metadataBytes, position);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("R-layout size overflows: kind=" + kind.label() + ", arrays=" + shapes.size());
        }
    }

    /**
     * A planned variable in R memshare's layout.
     *
     * @param kind vector, matrix or list
     * @param arrays where each array's doubles start in the data object
     * @param metadataBytes exact size of the metadata object
     * @param dataBytes exact size of the data object
     */
    public record Plan(Kind kind, List<ArrayPlacement> arrays, long metadataBytes, long dataBytes) {
        /** Copies the placements, so the record stays immutable. */
        public Plan {
            arrays = List.copyOf(arrays);
        }

        /** @return the header this plan reads as, for building views; owner and time unknown */
        public SegmentHeader header() {
            return new SegmentHeader(NO_VERSION, kind, arrays, dataBytes, ProcessIdentity.UNKNOWN, 0L);
        }
    }

    /**
     * Writes the list's offset table into the data object (nothing for a vector or matrix).
     *
     * @param data the data object, at least {@code plan.dataBytes()} long
     */
    public static void writeOffsetTable(MemorySegment data, Plan plan) {
        if (plan.kind() != Kind.LIST) {
            return;
        }
        long table = (long) LIST_OFFSET_BYTES * plan.arrays().size();
        for (int i = 0; i < plan.arrays().size(); i++) {
            data.set(U64, (long) LIST_OFFSET_BYTES * i, (plan.arrays().get(i).offset() - table) / ELEMENT_BYTES);
        }
    }

    /**
     * Writes the metadata records.
     *
     * @param metadata the metadata object, exactly {@code plan.metadataBytes()} long, zero-filled
     */
    public static void writeMetadata(MemorySegment metadata, Plan plan) {
        if (plan.kind() == Kind.LIST) {
            long doubles = 0;
            for (ArrayPlacement array : plan.arrays()) {
                doubles += array.shape().elementCount();
            }
            writeRecord(metadata, 0, TYPE_LIST, plan.arrays().size(), doubles);
            for (int i = 0; i < plan.arrays().size(); i++) {
                writeArrayRecord(metadata, (long) RECORD_BYTES * (i + 1), plan.arrays().get(i).shape());
            }
        } else {
            writeArrayRecord(metadata, 0, plan.arrays().getFirst().shape());
        }
    }

    private static void writeArrayRecord(MemorySegment metadata, long at, Shape shape) {
        if (shape.kind() == Kind.MATRIX) {
            writeRecord(metadata, at, TYPE_MATRIX, shape.rows(), shape.cols());
        } else {
            writeRecord(metadata, at, TYPE_VECTOR, shape.rows(), 0);
        }
    }

    private static void writeRecord(MemorySegment metadata, long at, int type, long a, long b) {
        metadata.set(I32, at + RECORD_TYPE_OFFSET, type);
        metadata.set(I32, at + RECORD_PADDING_OFFSET, 0);
        metadata.set(U64, at + RECORD_FIELD_A_OFFSET, a);
        metadata.set(U64, at + RECORD_FIELD_B_OFFSET, b);
    }

    /**
     * Validates a variable in R memshare's layout and decodes it. Every count is checked against the
     * real sizes of both objects (and against overflow) before anything is read through it.
     *
     * @param metadata the mapped metadata object
     * @param data the mapped data object (the offset table of a list is read from it)
     * @param name the variable, for messages
     * @return the header, with placements relative to the start of the data object
     * @throws SegmentFormatException when the metadata is truncated, holds an unknown type code or
     *     counts that do not match the sizes of the objects
     */
    public static SegmentHeader read(MemorySegment metadata, MemorySegment data, String name) {
        long metadataBytes = metadata.byteSize();
        long dataBytes = data.byteSize();
        if (metadataBytes < RECORD_BYTES || metadataBytes % RECORD_BYTES != 0) {
            throw new SegmentFormatException("R-layout metadata is truncated or not whole records: name=" + name
                + ", metadataBytes=" + metadataBytes + ", recordBytes=" + RECORD_BYTES);
        }
        int type = metadata.get(I32, RECORD_TYPE_OFFSET);
        long a = metadata.get(U64, RECORD_FIELD_A_OFFSET);
        long b = metadata.get(U64, RECORD_FIELD_B_OFFSET);
        List<ArrayPlacement> placements = new ArrayList<>();
        Kind kind;
        if (type == TYPE_LIST) {
            kind = Kind.LIST;
            // Unsigned counts: a negative long is a count above 2^63, which cannot fit any object.
            if (a < 0 || a != metadataBytes / RECORD_BYTES - 1) {
                throw new SegmentFormatException("R-layout list size does not match its metadata object: name=" + name
                    + ", elements=" + Long.toUnsignedString(a) + ", records=" + metadataBytes / RECORD_BYTES);
            }
            long table = a * LIST_OFFSET_BYTES;
            long expected = b < 0 || b > (Long.MAX_VALUE - table) / ELEMENT_BYTES ? -1 : table + b * ELEMENT_BYTES;
            if (expected != dataBytes) {
                throw new SegmentFormatException("R-layout data size does not match its metadata: name=" + name
                    + ", dataBytes=" + dataBytes + ", elements=" + a + ", totalDoubles=" + Long.toUnsignedString(b)
                    + ", expected=" + expected);
            }
            long sum = 0;
            for (int i = 0; i < a; i++) {
                long at = (long) RECORD_BYTES * (i + 1);
                Shape shape = arrayShape(name, "element " + i, metadata.get(I32, at + RECORD_TYPE_OFFSET),
                    metadata.get(U64, at + RECORD_FIELD_A_OFFSET), metadata.get(U64, at + RECORD_FIELD_B_OFFSET));
                long count = shape.elementCount();
                long offset = data.get(U64, (long) LIST_OFFSET_BYTES * i);
                if (offset < 0 || offset > b || count > b - offset) {
                    throw new SegmentFormatException("R-layout list element out of bounds: name=" + name + ", element=" + i
                        + ", offsetDoubles=" + Long.toUnsignedString(offset) + ", doubles=" + count
                        + ", totalDoubles=" + b);
                }
                sum += count;
                placements.add(new ArrayPlacement(shape, table + offset * ELEMENT_BYTES));
            }
            if (sum != b) {
                throw new SegmentFormatException("R-layout list total does not match its elements: name=" + name
                    + ", totalDoubles=" + b + ", sumOfElements=" + sum);
            }
        } else {
            if (metadataBytes != RECORD_BYTES) {
                throw new SegmentFormatException("R-layout metadata of a vector or matrix is one record: name=" + name
                    + ", metadataBytes=" + metadataBytes + ", expected=" + RECORD_BYTES);
            }
            Shape shape = arrayShape(name, "record", type, a, b);
            kind = shape.kind();
            if (shape.dataBytes() != dataBytes) {
                throw new SegmentFormatException("R-layout data size does not match its metadata: name=" + name
                    + ", dataBytes=" + dataBytes + ", expected=" + shape.dataBytes() + ", kind=" + kind.label()
                    + ", dims=" + Arrays.toString(shape.dims()));
            }
            placements.add(new ArrayPlacement(shape, 0));
        }
        return new SegmentHeader(NO_VERSION, kind, placements, dataBytes, ProcessIdentity.UNKNOWN, 0L);
    }

    /**
     * Decodes only the first record's type, for a census that must tell R-layout metadata from other
     * files cheaply.
     *
     * @return whether the bytes look like R-layout metadata: whole records and a known first type code
     */
    public static boolean looksLikeMetadata(MemorySegment metadata) {
        long size = metadata.byteSize();
        if (size < RECORD_BYTES || size % RECORD_BYTES != 0) {
            return false;
        }
        int type = metadata.get(I32, RECORD_TYPE_OFFSET);
        return type == TYPE_MATRIX || type == TYPE_VECTOR || type == TYPE_LIST;
    }

    private static Shape arrayShape(String name, String where, int type, long a, long b) {
        if (a < 0 || (type == TYPE_MATRIX && b < 0)) {
            throw new SegmentFormatException("R-layout dimension too large: name=" + name + ", in=" + where
                + ", a=" + Long.toUnsignedString(a) + ", b=" + Long.toUnsignedString(b));
        }
        try {
            return switch (type) {
                case TYPE_MATRIX -> Shape.matrix(ElementType.DOUBLE, a, b);
                // Field B of a vector is unused (R writes 0): tolerated, not trusted.
                case TYPE_VECTOR -> Shape.vector(ElementType.DOUBLE, a);
                case TYPE_LIST -> throw new SegmentFormatException("R-layout lists do not nest: name=" + name
                    + ", in=" + where);
                default -> throw new SegmentFormatException("unknown R-layout type code: name=" + name + ", in=" + where
                    + ", type=" + type);
            };
        } catch (IllegalArgumentException e) {
            throw new SegmentFormatException("R-layout dimensions overflow: name=" + name + ", in=" + where
                + ", " + e.getMessage());
        }
    }
}

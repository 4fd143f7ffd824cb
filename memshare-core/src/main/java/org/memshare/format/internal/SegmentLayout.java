package org.memshare.format.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.memshare.segment.ProcessIdentity;
import org.memshare.format.ElementType;
import org.memshare.format.Kind;
import org.memshare.format.SegmentFormatException;
import org.memshare.format.Shape;

/**
 * Descriptor of memshare's segment format, version {@value #FORMAT_VERSION}: every offset, the
 * writer, and the validating reader. No offset is written anywhere else; {@code docs/FORMAT.md}
 * restates this class for readers in other languages.
 *
 * <p>All integers are little-endian. A segment starts with a 128-byte header:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Magic "MEMSHARE" (8 ASCII bytes)              |  0
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |       Format Version (i32)    |           Kind (i32)          |  8
 *  +-------------------------------+-------------------------------+
 *  |      Element Type (i32)       |       Data Offset (i32)       |  16
 *  +-------------------------------+-------------------------------+
 *  |  Dim 0 (i64): vector length, matrix rows, list size, raw bytes |  24
 *  +---------------------------------------------------------------+
 *  |  Dim 1 (i64): matrix cols; 1 for vector and raw; 0 for list   |  32
 *  +---------------------------------------------------------------+
 *  |  Data Bytes (i64): bytes from Data Offset to the end          |  40
 *  +---------------------------------------------------------------+
 *  |  Owner PID (i64)                                              |  48
 *  +---------------------------------------------------------------+
 *  |  Owner Start Time (i64): clock ticks after boot, /proc/PID/stat field 22 |  56
 *  +---------------------------------------------------------------+
 *  |  Created (i64): milliseconds since 1970-01-01T00:00Z          |  64
 *  +---------------------------------------------------------------+
 *  |  Names Offset (i64): column names block, 0 if none (v2)       |  72
 *  +---------------------------------------------------------------+
 *  |  Names Bytes (i64): length of the names block (v2)            |  80
 *  +---------------------------------------------------------------+
 *  |  Names Count (i64): names in the block, = matrix cols (v2)    |  88
 *  +---------------------------------------------------------------+
 *  |  Reserved, zero (32 bytes)                                    |  96..127
 *  +---------------------------------------------------------------+
 * </pre>
 * A vector, matrix or raw segment has its data at offset 128. A list's header has Element Type 0 and
 * is followed, at offset 128, by its directory: one 64-byte entry per element
 * <pre>
 *  +-------------------------------+-------------------------------+
 *  |          Kind (i32)           |      Element Type (i32)       |  0
 *  +-------------------------------+-------------------------------+
 *  |  Dim 0 (i64)                                                  |  8
 *  |  Dim 1 (i64)                                                  |  16
 *  |  Offset (i64): from the start of the segment, multiple of 64  |  24
 *  |  Bytes (i64)                                                  |  32
 *  |  Reserved, zero (24 bytes)                                    |  40..63
 *  +---------------------------------------------------------------+
 * </pre>
 * and by the elements' data, each starting on a multiple of 64. Matrices are column-major (R's order).
 *
 * <p><b>Column names</b> (version 2, matrices only, optional). The names block starts at Names
 * Offset, the first multiple of 64 after the data, and ends the file. It holds Names Count entries,
 * one per column, in column order:
 * <pre>
 *  +-------------------------------+-------------------------------------------+
 *  |  Length (i32): 1..1024        |  Name: Length bytes of UTF-8, no terminator |
 *  +-------------------------------+-------------------------------------------+
 * </pre>
 * packed without padding; the entries fill Names Bytes exactly. A segment without names has the
 * three fields zero. Version 1 segments (these 24 bytes reserved and zero) are read as having no
 * names; writers write version 2.
 *
 * <p><b>Publication rule.</b> The writer first stores every field with the magic {@code "MEMSHPND"}
 * (pending: the owner fields are valid, the data is not), copies the data, then stores the magic
 * {@code "MEMSHARE"} with release semantics. A reader that sees {@code "MEMSHARE"} (acquire) sees a
 * complete segment; a pending segment whose owner is dead is an orphan of a crashed registration.
 */
public final class SegmentLayout {
    /** The current format version; readers refuse higher versions. */
    public static final int FORMAT_VERSION = 2;

    /** The oldest format version readers accept: version 1 has no column names. */
    public static final int MIN_FORMAT_VERSION = 1;

    /** Alignment of the header, the directory and every array's data. */
    public static final int ALIGNMENT = 64;

    /** Magic of a complete segment: ASCII {@code MEMSHARE} read as a little-endian long. */
    public static final long MAGIC_READY = magic("MEMSHARE");
    /** Magic of a segment whose data is still being written. */
    public static final long MAGIC_PENDING = magic("MEMSHPND");

    /** Offset of the 8-byte magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the format version (i32). */
    public static final int VERSION_OFFSET = MAGIC_OFFSET + 8;
    /** Offset of the kind code (i32), see {@link Kind}. */
    public static final int KIND_OFFSET = VERSION_OFFSET + 4;
    /** Offset of the element type code (i32), see {@link ElementType}; 0 for a list. */
    public static final int ELEMENT_TYPE_OFFSET = KIND_OFFSET + 4;
    /** Offset of the data offset (i32). */
    public static final int DATA_OFFSET_OFFSET = ELEMENT_TYPE_OFFSET + 4;
    /** Offset of dimension 0 (i64). */
    public static final int DIM0_OFFSET = DATA_OFFSET_OFFSET + 4;
    /** Offset of dimension 1 (i64). */
    public static final int DIM1_OFFSET = DIM0_OFFSET + 8;
    /** Offset of the data byte count (i64). */
    public static final int DATA_BYTES_OFFSET = DIM1_OFFSET + 8;
    /** Offset of the owner's pid (i64). */
    public static final int OWNER_PID_OFFSET = DATA_BYTES_OFFSET + 8;
    /** Offset of the owner's start time (i64). */
    public static final int OWNER_START_OFFSET = OWNER_PID_OFFSET + 8;
    /** Offset of the creation time (i64). */
    public static final int CREATED_OFFSET = OWNER_START_OFFSET + 8;
    /** Offset of the column names block's offset (i64), 0 when there are none (version 2). */
    public static final int NAMES_OFFSET_OFFSET = CREATED_OFFSET + 8;
    /** Offset of the column names block's length in bytes (i64) (version 2). */
    public static final int NAMES_BYTES_OFFSET = NAMES_OFFSET_OFFSET + 8;
    /** Offset of the number of column names (i64), the matrix's column count when present (version 2). */
    public static final int NAMES_COUNT_OFFSET = NAMES_BYTES_OFFSET + 8;
    /** Size of a names entry's length prefix (i32). */
    public static final int NAME_LENGTH_BYTES = 4;
    /** The longest column name, in UTF-8 bytes. */
    public static final int MAX_COLUMN_NAME_BYTES = 1024;
    /** Size of the header; also where a list's directory starts. */
    public static final int HEADER_BYTES = 128;

    /** Offset of an entry's kind code (i32), relative to the entry. */
    public static final int ENTRY_KIND_OFFSET = 0;
    /** Offset of an entry's element type code (i32). */
    public static final int ENTRY_ELEMENT_TYPE_OFFSET = ENTRY_KIND_OFFSET + 4;
    /** Offset of an entry's dimension 0 (i64). */
    public static final int ENTRY_DIM0_OFFSET = ENTRY_ELEMENT_TYPE_OFFSET + 4;
    /** Offset of an entry's dimension 1 (i64). */
    public static final int ENTRY_DIM1_OFFSET = ENTRY_DIM0_OFFSET + 8;
    /** Offset of an entry's data offset (i64). */
    public static final int ENTRY_DATA_OFFSET_OFFSET = ENTRY_DIM1_OFFSET + 8;
    /** Offset of an entry's data byte count (i64). */
    public static final int ENTRY_BYTES_OFFSET = ENTRY_DATA_OFFSET_OFFSET + 8;
    /** Size of one list directory entry. */
    public static final int ENTRY_BYTES = 64;

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle MAGIC = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    static {
        if (NAMES_COUNT_OFFSET + 8 > HEADER_BYTES || ENTRY_BYTES_OFFSET + 8 > ENTRY_BYTES) {
            throw new AssertionError("layout overflows its reserved size");
        }
    }

    private SegmentLayout() {
    }

    /**
     * Places the arrays of a segment: the data of a single array right after the header; for a list,
     * the directory after the header, then each element on a 64-byte boundary.
     *
     * @param kind the segment's kind
     * @param shapes one shape, or a list's element shapes (vectors and matrices only)
     * @param owner the registering process
     * @param createdMillis the creation time, milliseconds since the epoch
     * @return the placements and the total size
     * @throws IllegalArgumentException when the shapes do not fit the kind or the size overflows
     */
    public static SegmentHeader plan(Kind kind, List<Shape> shapes, ProcessIdentity owner, long createdMillis) {
        return plan(kind, shapes, List.of(), owner, createdMillis);
    }

    /**
     * Places the arrays of a segment and, for a matrix, its column names after the data.
     *
     * @param kind the segment's kind
     * @param shapes one shape, or a list's element shapes (vectors and matrices only)
     * @param columnNames one name per column of a matrix, or empty for none
     * @param owner the registering process
     * @param createdMillis the creation time, milliseconds since the epoch
     * @return the placements, the names and the total size
     * @throws IllegalArgumentException when the shapes do not fit the kind, the size overflows, or
     *     the names are not one distinct, non-empty name of at most {@value #MAX_COLUMN_NAME_BYTES}
     *     UTF-8 bytes per column of a matrix
     */
    public static SegmentHeader plan(Kind kind, List<Shape> shapes, List<String> columnNames, ProcessIdentity owner,
                                     long createdMillis) {
        SegmentHeader header = planArrays(kind, shapes, owner, createdMillis);
        if (columnNames.isEmpty()) {
            return header;
        }
        if (kind != Kind.MATRIX) {
            throw new IllegalArgumentException("only a matrix has column names: kind=" + kind.label());
        }
        long cols = header.single().shape().cols();
        if (columnNames.size() != cols) {
            throw new IllegalArgumentException("column names do not match the columns: names=" + columnNames.size()
                + ", cols=" + cols);
        }
        Set<String> seen = new HashSet<>();
        for (int j = 0; j < columnNames.size(); j++) {
            String name = columnNames.get(j);
            int bytes = utf8(name, j).length;
            if (bytes < 1 || bytes > MAX_COLUMN_NAME_BYTES) {
                throw new IllegalArgumentException("column name must have 1 to " + MAX_COLUMN_NAME_BYTES
                    + " UTF-8 bytes: column=" + (j + 1) + ", bytes=" + bytes);
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("column name given twice: column=" + (j + 1) + ", name=" + name);
            }
        }
        try {
            long end = Math.addExact(namesOffset(header), encodedNamesBytes(columnNames));
            return new SegmentHeader(header.formatVersion(), kind, header.arrays(), end, header.owner(),
                header.createdMillis(), columnNames);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("segment size overflows: kind=" + kind.label() + ", names=" + cols);
        }
    }

    private static SegmentHeader planArrays(Kind kind, List<Shape> shapes, ProcessIdentity owner, long createdMillis) {
        if (kind != Kind.LIST && shapes.size() != 1) {
            throw new IllegalArgumentException("a " + kind.label() + " has exactly one array: arrays=" + shapes.size());
        }
        try {
            long position = kind == Kind.LIST
                ? align(HEADER_BYTES + Math.multiplyExact((long) ENTRY_BYTES, shapes.size()))
                : HEADER_BYTES;
            List<ArrayPlacement> placements = new ArrayList<>(shapes.size());
            for (Shape shape : shapes) {
                if (kind == Kind.LIST && shape.kind() != Kind.VECTOR && shape.kind() != Kind.MATRIX) {
                    throw new IllegalArgumentException("list elements are vectors or matrices: kind=" + shape.kind().label());
                }
                if (kind != Kind.LIST && shape.kind() != kind) {
                    throw new IllegalArgumentException("shape kind does not match: kind=" + kind.label()
                        + ", shapeKind=" + shape.kind().label());
                }
                placements.add(new ArrayPlacement(shape, position));
                position = align(Math.addExact(position, shape.dataBytes()));
            }
            long total = kind == Kind.LIST || placements.isEmpty()
                ? position
                : HEADER_BYTES + placements.getFirst().shape().dataBytes();
            return new SegmentHeader(FORMAT_VERSION, kind, placements, Math.max(total, HEADER_BYTES), owner, createdMillis);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("segment size overflows: kind=" + kind.label() + ", arrays=" + shapes.size());
        }
    }

    /**
     * Writes every header field and the directory with the pending magic. The segment must be
     * zero-filled and at least {@code header.totalBytes()} long.
     */
    public static void writePending(MemorySegment segment, SegmentHeader header) {
        segment.set(I64, MAGIC_OFFSET, MAGIC_PENDING);
        segment.set(I32, VERSION_OFFSET, header.formatVersion());
        segment.set(I32, KIND_OFFSET, header.kind().code());
        long dataOffset = dataOffset(header);
        if (header.kind() == Kind.LIST) {
            segment.set(I32, ELEMENT_TYPE_OFFSET, ElementType.NONE_CODE);
            segment.set(I64, DIM0_OFFSET, header.arrays().size());
            segment.set(I64, DIM1_OFFSET, 0L);
            for (int i = 0; i < header.arrays().size(); i++) {
                ArrayPlacement element = header.arrays().get(i);
                long entry = HEADER_BYTES + (long) ENTRY_BYTES * i;
                segment.set(I32, entry + ENTRY_KIND_OFFSET, element.shape().kind().code());
                segment.set(I32, entry + ENTRY_ELEMENT_TYPE_OFFSET, element.shape().elementType().code());
                segment.set(I64, entry + ENTRY_DIM0_OFFSET, element.shape().rows());
                segment.set(I64, entry + ENTRY_DIM1_OFFSET, element.shape().cols());
                segment.set(I64, entry + ENTRY_DATA_OFFSET_OFFSET, element.offset());
                segment.set(I64, entry + ENTRY_BYTES_OFFSET, element.shape().dataBytes());
            }
        } else {
            Shape shape = header.single().shape();
            segment.set(I32, ELEMENT_TYPE_OFFSET, shape.elementType().code());
            segment.set(I64, DIM0_OFFSET, shape.rows());
            segment.set(I64, DIM1_OFFSET, shape.cols());
        }
        segment.set(I32, DATA_OFFSET_OFFSET, Math.toIntExact(dataOffset));
        // The names block, when present, follows the data and is not part of it.
        segment.set(I64, DATA_BYTES_OFFSET, header.kind() == Kind.LIST
            ? header.totalBytes() - dataOffset
            : header.single().shape().dataBytes());
        segment.set(I64, OWNER_PID_OFFSET, header.owner().pid());
        segment.set(I64, OWNER_START_OFFSET, header.owner().startTicks());
        segment.set(I64, CREATED_OFFSET, header.createdMillis());
        if (!header.columnNames().isEmpty()) {
            segment.set(I64, NAMES_OFFSET_OFFSET, namesOffset(header));
            segment.set(I64, NAMES_BYTES_OFFSET, encodedNamesBytes(header.columnNames()));
            segment.set(I64, NAMES_COUNT_OFFSET, header.columnNames().size());
        }
    }

    /**
     * @param header a matrix's header
     * @return where its names block starts (or would start): the first multiple of
     *     {@link #ALIGNMENT} after its data
     */
    public static long namesOffset(SegmentHeader header) {
        ArrayPlacement array = header.single();
        return align(Math.addExact(array.offset(), array.shape().dataBytes()));
    }

    /**
     * Encodes a header's column names as the names block: the bytes to store at
     * {@link #namesOffset(SegmentHeader)} before publishing (empty when there are no names).
     *
     * @param header the header, from {@link #plan(Kind, List, List, ProcessIdentity, long)}
     * @return the names block, to store at {@link #namesOffset(SegmentHeader)}
     */
    public static MemorySegment namesBlock(SegmentHeader header) {
        List<String> names = header.columnNames();
        MemorySegment block = MemorySegment.ofArray(new byte[Math.toIntExact(encodedNamesBytes(names))]);
        long position = 0;
        for (int j = 0; j < names.size(); j++) {
            byte[] bytes = utf8(names.get(j), j);
            block.set(I32, position, bytes.length);
            MemorySegment.copy(MemorySegment.ofArray(bytes), 0, block, position + NAME_LENGTH_BYTES, bytes.length);
            position += NAME_LENGTH_BYTES + bytes.length;
        }
        return block;
    }

    /**
     * Writes a header's names block into a segment ({@link SegmentHeader#totalBytes()} long); no
     * effect without names.
     *
     * @param segment the whole segment
     * @param header its header
     */
    public static void writeNames(MemorySegment segment, SegmentHeader header) {
        if (!header.columnNames().isEmpty()) {
            MemorySegment block = namesBlock(header);
            MemorySegment.copy(block, 0, segment, namesOffset(header), block.byteSize());
        }
    }

    private static long encodedNamesBytes(List<String> names) {
        long bytes = 0;
        for (int j = 0; j < names.size(); j++) {
            bytes = Math.addExact(bytes, NAME_LENGTH_BYTES + utf8(names.get(j), j).length);
        }
        return bytes;
    }

    private static byte[] utf8(String name, int column) {
        if (name == null) {
            throw new NullPointerException("column name must not be null: column=" + (column + 1));
        }
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                .encode(CharBuffer.wrap(name));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("column name is not valid Unicode (a lone surrogate): column="
                + (column + 1));
        }
    }

    /**
     * @return where the data starts: right after the header, or for a list after its directory
     *     rounded up to {@link #ALIGNMENT}; header and directory fill the bytes before it
     */
    public static long dataOffset(SegmentHeader header) {
        return header.kind() == Kind.LIST
            ? align(HEADER_BYTES + (long) ENTRY_BYTES * header.arrays().size())
            : HEADER_BYTES;
    }

    /**
     * The data offset a header declares, not yet validated: how many bytes (header and list
     * directory) to read before {@link #read(MemorySegment, long, String)} can validate them.
     *
     * @param head at least the first {@link #HEADER_BYTES} bytes of a segment
     * @return the declared offset, as an unsigned 32-bit value
     */
    public static long declaredDataOffset(MemorySegment head) {
        return head.get(I32, DATA_OFFSET_OFFSET) & 0xFFFF_FFFFL;
    }

    /** Marks the segment complete (release store of the ready magic): see the publication rule. */
    public static void publish(MemorySegment segment) {
        MAGIC.setRelease(segment, (long) MAGIC_OFFSET, MAGIC_READY);
    }

    /**
     * Reads the owner of a segment that is ours, complete or pending.
     *
     * @return the owner, or null when the bytes do not start with one of our magics
     */
    public static ProcessIdentity ownerOrNull(MemorySegment segment) {
        if (segment.byteSize() < HEADER_BYTES) {
            return null;
        }
        long magic = (long) MAGIC.getAcquire(segment, (long) MAGIC_OFFSET);
        if (magic != MAGIC_READY && magic != MAGIC_PENDING) {
            return null;
        }
        return new ProcessIdentity(segment.get(I64, OWNER_PID_OFFSET), segment.get(I64, OWNER_START_OFFSET));
    }

    /** @return whether the segment starts with the pending magic */
    public static boolean isPending(MemorySegment segment) {
        return segment.byteSize() >= HEADER_BYTES
            && (long) MAGIC.getAcquire(segment, (long) MAGIC_OFFSET) == MAGIC_PENDING;
    }

    /**
     * Validates and decodes a complete segment. Every size and offset is checked against the
     * segment's real size before anything is read through it.
     *
     * @param segment the mapped segment
     * @param name the segment's name, for messages
     * @return the header
     * @throws SegmentFormatException when the segment is not ours, pending, truncated, of a newer
     *     version or inconsistent
     */
    public static SegmentHeader read(MemorySegment segment, String name) {
        return read(segment, segment.byteSize(), name);
    }

    /**
     * Validates and decodes a segment from its first bytes, read without mapping it (for listing
     * files, where a mapping could fault on a damaged file).
     *
     * @param head the segment's first bytes: at least the header, and for a list its directory
     * @param size the segment's size in bytes
     * @param name the segment's name, for messages
     * @return the header
     * @throws SegmentFormatException as {@link #read(MemorySegment, String)} does, and when
     *     {@code head} holds less than the header and directory
     */
    public static SegmentHeader read(MemorySegment head, long size, String name) {
        MemorySegment segment = head;
        if (size < HEADER_BYTES || segment.byteSize() < HEADER_BYTES) {
            throw new SegmentFormatException("segment too short for a memshare header: name=" + name
                + ", bytes=" + size + ", headerBytes=" + HEADER_BYTES);
        }
        long magic = (long) MAGIC.getAcquire(segment, (long) MAGIC_OFFSET);
        if (magic == MAGIC_PENDING) {
            throw new SegmentFormatException("segment is not complete (registration in progress, or its owner"
                + " died during registration): name=" + name + ", ownerPid=" + segment.get(I64, OWNER_PID_OFFSET));
        }
        if (magic != MAGIC_READY) {
            throw new SegmentFormatException("not a memshare segment (bad magic): name=" + name
                + ", magic=0x" + Long.toHexString(magic));
        }
        int version = segment.get(I32, VERSION_OFFSET);
        if (version > FORMAT_VERSION) {
            throw new SegmentFormatException("segment has a newer format version: name=" + name
                + ", version=" + version + ", supported=" + FORMAT_VERSION);
        }
        if (version < MIN_FORMAT_VERSION) {
            throw new SegmentFormatException("invalid format version: name=" + name + ", version=" + version);
        }
        Kind kind = Kind.ofCode(segment.get(I32, KIND_OFFSET));
        long dataOffset = segment.get(I32, DATA_OFFSET_OFFSET) & 0xFFFF_FFFFL;
        long dataBytes = segment.get(I64, DATA_BYTES_OFFSET);
        long dim0 = segment.get(I64, DIM0_OFFSET);
        long dim1 = segment.get(I64, DIM1_OFFSET);
        ProcessIdentity owner = new ProcessIdentity(segment.get(I64, OWNER_PID_OFFSET), segment.get(I64, OWNER_START_OFFSET));
        long created = segment.get(I64, CREATED_OFFSET);
        if (dataOffset < HEADER_BYTES || dataOffset % ALIGNMENT != 0 || dataBytes < 0
            || dataBytes > size - dataOffset) {
            throw new SegmentFormatException("segment sizes do not match its header: name=" + name
                + ", bytes=" + size + ", dataOffset=" + dataOffset + ", dataBytes=" + dataBytes);
        }
        List<Shape> shapes = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        if (kind == Kind.LIST) {
            if (segment.byteSize() < dataOffset) {
                throw new SegmentFormatException("list directory not read: name=" + name + ", read=" + segment.byteSize()
                    + ", dataOffset=" + dataOffset);
            }
            if (dim0 < 0 || dim0 > (dataOffset - HEADER_BYTES) / ENTRY_BYTES) {
                throw new SegmentFormatException("list directory does not fit: name=" + name
                    + ", size=" + dim0 + ", dataOffset=" + dataOffset);
            }
            for (int i = 0; i < dim0; i++) {
                long entry = HEADER_BYTES + (long) ENTRY_BYTES * i;
                Shape shape = shape(name, "element " + i, segment.get(I32, entry + ENTRY_KIND_OFFSET),
                    segment.get(I32, entry + ENTRY_ELEMENT_TYPE_OFFSET),
                    segment.get(I64, entry + ENTRY_DIM0_OFFSET), segment.get(I64, entry + ENTRY_DIM1_OFFSET));
                long offset = segment.get(I64, entry + ENTRY_DATA_OFFSET_OFFSET);
                long bytes = segment.get(I64, entry + ENTRY_BYTES_OFFSET);
                if (shape.kind() == Kind.LIST || shape.kind() == Kind.RAW || bytes != shape.dataBytes()
                    || offset < dataOffset || offset % ALIGNMENT != 0 || offset > size || bytes > size - offset) {
                    throw new SegmentFormatException("list element out of bounds or inconsistent: name=" + name
                        + ", element=" + i + ", offset=" + offset + ", bytes=" + bytes + ", segmentBytes=" + size);
                }
                shapes.add(shape);
                offsets.add(offset);
            }
        } else {
            Shape shape = shape(name, "header", kind.code(), segment.get(I32, ELEMENT_TYPE_OFFSET), dim0, dim1);
            if (shape.dataBytes() != dataBytes || dataOffset != HEADER_BYTES) {
                throw new SegmentFormatException("data size does not match the shape: name=" + name
                    + ", dataBytes=" + dataBytes + ", expected=" + shape.dataBytes());
            }
            shapes.add(shape);
            offsets.add(dataOffset);
        }
        List<ArrayPlacement> placements = new ArrayList<>(shapes.size());
        for (int i = 0; i < shapes.size(); i++) {
            placements.add(new ArrayPlacement(shapes.get(i), offsets.get(i)));
        }
        SegmentHeader header = new SegmentHeader(version, kind, placements, dataOffset + dataBytes, owner, created);
        return version < 2 ? header : withNames(segment, size, name, header);
    }

    /**
     * Validates the names fields of a version-2 header against the shape and the real size, then
     * decodes the names when {@code segment} holds them (a header read alone has none).
     */
    private static SegmentHeader withNames(MemorySegment segment, long size, String name, SegmentHeader header) {
        long offset = segment.get(I64, NAMES_OFFSET_OFFSET);
        long bytes = segment.get(I64, NAMES_BYTES_OFFSET);
        long count = segment.get(I64, NAMES_COUNT_OFFSET);
        if (offset == 0 && bytes == 0 && count == 0) {
            return header;
        }
        if (header.kind() != Kind.MATRIX) {
            throw new SegmentFormatException("only a matrix has column names: name=" + name + ", kind="
                + header.kind().label() + ", namesOffset=" + offset + ", namesBytes=" + bytes + ", namesCount=" + count);
        }
        long cols = header.single().shape().cols();
        if (count != cols || offset != namesOffset(header) || bytes < (long) NAME_LENGTH_BYTES * count
            || bytes > size - offset) {
            throw new SegmentFormatException("column names do not match the header: name=" + name + ", namesOffset="
                + offset + ", namesBytes=" + bytes + ", namesCount=" + count + ", cols=" + cols + ", bytes=" + size);
        }
        long end = offset + bytes;
        if (segment.byteSize() < end) {
            return new SegmentHeader(header.formatVersion(), header.kind(), header.arrays(), end, header.owner(),
                header.createdMillis());
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> names = new ArrayList<>((int) Math.min(count, 1 << 16));
        long position = offset;
        for (long j = 0; j < count; j++) {
            int length = position + NAME_LENGTH_BYTES <= end ? segment.get(I32, position) : -1;
            if (length < 1 || length > MAX_COLUMN_NAME_BYTES || length > end - position - NAME_LENGTH_BYTES) {
                throw new SegmentFormatException("column name out of bounds: name=" + name + ", column=" + (j + 1)
                    + ", length=" + length + ", at=" + position + ", namesEnd=" + end);
            }
            byte[] utf8 = segment.asSlice(position + NAME_LENGTH_BYTES, length).toArray(ValueLayout.JAVA_BYTE);
            try {
                names.add(decoder.decode(ByteBuffer.wrap(utf8)).toString());
            } catch (CharacterCodingException e) {
                throw new SegmentFormatException("column name is not valid UTF-8: name=" + name + ", column=" + (j + 1));
            }
            position += NAME_LENGTH_BYTES + length;
        }
        if (position != end) {
            throw new SegmentFormatException("column names do not fill their block: name=" + name + ", namesBytes="
                + bytes + ", used=" + (position - offset));
        }
        return new SegmentHeader(header.formatVersion(), header.kind(), header.arrays(), end, header.owner(),
            header.createdMillis(), names);
    }

    private static Shape shape(String name, String where, int kindCode, int typeCode, long dim0, long dim1) {
        try {
            return new Shape(Kind.ofCode(kindCode), ElementType.ofCode(typeCode), dim0, dim1);
        } catch (IllegalArgumentException e) {
            throw new SegmentFormatException("invalid shape in " + where + ": name=" + name + ", " + e.getMessage());
        } catch (SegmentFormatException e) {
            throw new SegmentFormatException(e.getMessage() + ", name=" + name + ", in=" + where);
        }
    }

    /** @return {@code value} rounded up to a multiple of {@link #ALIGNMENT} */
    public static long align(long value) {
        return Math.addExact(value, ALIGNMENT - 1) & -ALIGNMENT;
    }

    private static long magic(String ascii) {
        byte[] bytes = ascii.getBytes(StandardCharsets.US_ASCII);
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (bytes[i] & 0xFF);
        }
        return value;
    }
}

package org.memshare.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.memshare.format.ElementType;

/**
 * The {@code .msm} codec: memshare's binary matrix file, little-endian.
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 Magic "MSMATRIX" (8 ASCII bytes)              |  0
 *  +-------------------------------+-------------------------------+
 *  |        Version (i32) = 1      |       Reserved (i32) = 0      |  8
 *  +-------------------------------+-------------------------------+
 *  |  Rows (i64)                                                   |  16
 *  |  Columns (i64)                                                |  24
 *  |  Names Bytes (i64): length of the names block                 |  32
 *  +---------------------------------------------------------------+
 *  |  Names: column names in UTF-8, each followed by '\n'          |  40
 *  +---------------------------------------------------------------+
 *  |  zero padding to the next multiple of 8                       |
 *  +---------------------------------------------------------------+
 *  |  Data: Rows x Columns IEEE 754 doubles, column-major          |
 *  +---------------------------------------------------------------+
 * </pre>
 * The file is exactly as long as its header says. Without names (Names Bytes 0) columns are
 * {@code V1 .. Vn}.
 */
public final class MsmFile implements MatrixFile {
    /** The magic as text. */
    public static final String MAGIC_ASCII = "MSMATRIX";
    /** The magic, {@value #MAGIC_ASCII} read as a little-endian long. */
    public static final long MAGIC = MemorySegment.ofArray(MAGIC_ASCII.getBytes(StandardCharsets.US_ASCII))
        .get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
    /** The version written and read. */
    public static final int VERSION = 1;
    /** Offset of the version (i32). */
    public static final int VERSION_OFFSET = 8;
    /** Offset of the row count (i64). */
    public static final int ROWS_OFFSET = 16;
    /** Offset of the column count (i64). */
    public static final int COLUMNS_OFFSET = 24;
    /** Offset of the names block's length (i64). */
    public static final int NAMES_BYTES_OFFSET = 32;
    /** Size of the header; the names block follows. */
    public static final int HEADER_BYTES = 40;
    /** The longest names block read: 64 MiB. */
    static final long MAX_NAMES_BYTES = 64L << 20;

    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final long nrow;
    private final long ncol;
    private final List<String> names;
    private final boolean named;
    private final long dataOffset;

    private MsmFile(Path path, long nrow, long ncol, List<String> names, boolean named, long dataOffset) {
        this.path = path;
        this.nrow = nrow;
        this.ncol = ncol;
        this.names = List.copyOf(names);
        this.named = named;
        this.dataOffset = dataOffset;
    }

    static MsmFile open(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < HEADER_BYTES) {
                throw new MatrixFileException("binary matrix file truncated: path=" + path + ", bytes=" + size);
            }
            MemorySegment header = MemorySegment.ofBuffer(read(channel, 0, HEADER_BYTES));
            if (header.get(I64, 0) != MAGIC) {
                throw new MatrixFileException("not a binary matrix file (no MSMATRIX magic): path=" + path);
            }
            int version = header.get(I32, VERSION_OFFSET);
            if (version != VERSION) {
                throw new MatrixFileException("unsupported binary matrix version: path=" + path + ", version=" + version);
            }
            long nrow = header.get(I64, ROWS_OFFSET);
            long ncol = header.get(I64, COLUMNS_OFFSET);
            long namesBytes = header.get(I64, NAMES_BYTES_OFFSET);
            if (nrow < 0 || ncol < 0 || ncol > Integer.MAX_VALUE || namesBytes < 0 || namesBytes > size - HEADER_BYTES
                || namesBytes > MAX_NAMES_BYTES) {
                throw new MatrixFileException("binary matrix header is inconsistent: path=" + path + ", rows=" + nrow
                    + ", columns=" + ncol + ", namesBytes=" + namesBytes);
            }
            long dataOffset = (HEADER_BYTES + namesBytes + 7) & -8L;
            long expected;
            try {
                expected = Math.addExact(dataOffset, Math.multiplyExact(Math.multiplyExact(nrow, ncol), 8L));
            } catch (ArithmeticException e) {
                throw new MatrixFileException("binary matrix dimensions overflow: path=" + path);
            }
            if (expected != size) {
                throw new MatrixFileException("binary matrix size does not match its header: path=" + path
                    + ", bytes=" + size + ", expected=" + expected);
            }
            if (namesBytes == 0) {
                return new MsmFile(path, nrow, ncol, MatrixFile.defaultNames(ncol), false, dataOffset);
            }
            ByteBuffer block = read(channel, HEADER_BYTES, (int) namesBytes);
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(block).toString();
            } catch (CharacterCodingException e) {
                throw new MatrixFileException("binary matrix names are not UTF-8: path=" + path);
            }
            List<String> names = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
            if (!names.isEmpty() && names.getLast().isEmpty()) {
                names.removeLast();
            }
            if (names.size() != ncol) {
                throw new MatrixFileException("binary matrix names do not match its columns: path=" + path
                    + ", names=" + names.size() + ", columns=" + ncol);
            }
            return new MsmFile(path, nrow, ncol, names, true, dataOffset);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read: path=" + path, e);
        }
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) > 0) {
            // a regular file delivers what it has
        }
        return buffer.flip();
    }

    /**
     * Writes a matrix in this format (for tests, and for converting a text file once).
     *
     * @param path the file, created or replaced
     * @param nrow rows
     * @param ncol columns
     * @param columnNames one name per column, or empty for none
     * @param columnMajor {@code nrow * ncol} values, column-major
     * @throws IOException when the file cannot be written
     */
    public static void write(Path path, long nrow, long ncol, List<String> columnNames, double[] columnMajor)
        throws IOException {
        write(path, nrow, ncol, columnNames, MemorySegment.ofArray(columnMajor));
    }

    /**
     * Writes a matrix in this format from a memory segment (a view of shared memory, say).
     *
     * @param path the file, created or replaced
     * @param nrow rows
     * @param ncol columns
     * @param columnNames one name per column, or empty for none
     * @param columnMajor {@code nrow * ncol} doubles in native order, column-major
     * @throws IOException when the file cannot be written
     */
    public static void write(Path path, long nrow, long ncol, List<String> columnNames, MemorySegment columnMajor)
        throws IOException {
        byte[] names = (String.join("\n", columnNames) + (columnNames.isEmpty() ? "" : "\n")).getBytes(StandardCharsets.UTF_8);
        long dataOffset = (HEADER_BYTES + names.length + 7) & -8L;
        long total = dataOffset + nrow * ncol * 8;
        try (Arena arena = Arena.ofConfined();
             FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                 StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment file = channel.map(FileChannel.MapMode.READ_WRITE, 0, total, arena);
            file.set(I64, 0, MAGIC);
            file.set(I32, VERSION_OFFSET, VERSION);
            file.set(I64, ROWS_OFFSET, nrow);
            file.set(I64, COLUMNS_OFFSET, ncol);
            file.set(I64, NAMES_BYTES_OFFSET, names.length);
            MemorySegment.copy(MemorySegment.ofArray(names), 0, file, HEADER_BYTES, names.length);
            // One bulk copy, swapping bytes only where the native order is not the file's.
            MemorySegment.copy(columnMajor, ValueLayout.JAVA_DOUBLE_UNALIGNED, 0, file, F64, dataOffset, nrow * ncol);
        }
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public MatrixFormat format() {
        return MatrixFormat.MSM;
    }

    @Override
    public long nrow() {
        return nrow;
    }

    @Override
    public long ncol() {
        return ncol;
    }

    @Override
    public ElementType elementType() {
        return ElementType.DOUBLE;
    }

    @Override
    public boolean hasColumnNames() {
        return named;
    }

    @Override
    public List<String> columnNames() {
        return names;
    }

    @Override
    public void copyColumnsInto(MemorySegment target, ElementType type, int[] columns) {
        for (int column : columns) {
            Objects.checkIndex(column, ncol);
        }
        try {
            new BinaryColumns(path, dataOffset, nrow, ncol, StoredType.F64).copyColumnMajor(target, type, columns);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read: path=" + path, e);
        }
    }
}

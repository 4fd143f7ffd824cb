package org.memshare.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Descriptor of NumPy's {@code .npy} header, versions 1.0, 2.0 and 3.0, and its validating reader.
 * <pre>
 *  +------+---+---+---+---+---+---+-----------+-----------+--------------------------------+
 *  | 0x93 | N | U | M | P | Y |   | major(u8) | minor(u8) | Header Length: u16 (v1), u32 (v2, v3) |
 *  +------+---+---+---+---+---+---+-----------+-----------+--------------------------------+
 *    0                              6           7           8
 *  +---------------------------------------------------------------------------------------+
 *  | Header: a Python dict literal, ASCII (v1, v2) or UTF-8 (v3), padded with spaces and    |  10 (v1)
 *  | ended by '\n' so that the data starts on a multiple of 64 (16 in old files):           |  12 (v2, v3)
 *  |   {'descr': '&lt;f8', 'fortran_order': False, 'shape': (3, 4), }                        |
 *  +---------------------------------------------------------------------------------------+
 *  | Data: shape[0] x shape[1] elements, row after row (C order) or column after column     |
 *  | (fortran_order True)                                                                   |
 *  +---------------------------------------------------------------------------------------+
 * </pre>
 * Read here: little-endian {@code f8 f4 i8 i4 i1 u1}, one or two dimensions (a vector is one
 * column). The header is bounded ({@value #MAX_HEADER_BYTES} bytes) and parsed without evaluation.
 *
 * @param major the format's major version, 1 to 3
 * @param type how each element is stored
 * @param fortranOrder whether the data is column-major
 * @param rows the first dimension
 * @param cols the second dimension, 1 for a vector
 * @param dataOffset where the data starts
 */
record NpyHeader(int major, StoredType type, boolean fortranOrder, long rows, long cols, long dataOffset) {
    /** NumPy's magic: {@code \x93NUMPY}. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Offset of the major version (u8). */
    static final int MAJOR_OFFSET = 6;
    /** Offset of the minor version (u8). */
    static final int MINOR_OFFSET = 7;
    /** Offset of the header length (u16 in version 1, u32 in versions 2 and 3). */
    static final int HEADER_LENGTH_OFFSET = 8;
    /** The longest header read: NumPy writes a few hundred bytes. */
    static final int MAX_HEADER_BYTES = 1 << 20;

    /** Data types by their {@code descr}: little-endian, or byte order irrelevant ({@code |}). */
    private static final Map<String, StoredType> TYPES = Map.of(
        "<f8", StoredType.F64, "<f4", StoredType.F32, "<i8", StoredType.I64, "<i4", StoredType.I32,
        "|i1", StoredType.I8, "|u1", StoredType.U8, "<i1", StoredType.I8, "<u1", StoredType.U8);

    /**
     * Reads and validates the header, and checks the file's size against it.
     *
     * @throws MatrixFileException naming the path and what is wrong
     */
    static NpyHeader read(FileChannel channel, Path path) throws IOException {
        long size = channel.size();
        ByteBuffer prefix = readAt(channel, 0, (int) Math.min(12, size)).order(ByteOrder.LITTLE_ENDIAN);
        if (prefix.limit() < 10) {
            throw new MatrixFileException(".npy header is truncated: path=" + path + ", bytes=" + size);
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (prefix.get(i) != MAGIC[i]) {
                throw new MatrixFileException("not a .npy file (no NumPy magic): path=" + path);
            }
        }
        int major = prefix.get(MAJOR_OFFSET) & 0xff;
        if (major < 1 || major > 3) {
            throw new MatrixFileException(".npy version not supported: path=" + path + ", version=" + major + "."
                + (prefix.get(MINOR_OFFSET) & 0xff) + " (supported: 1.0, 2.0, 3.0)");
        }
        long headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = prefix.getShort(HEADER_LENGTH_OFFSET) & 0xffff;
            headerStart = 10;
        } else {
            if (prefix.limit() < 12) {
                throw new MatrixFileException(".npy header is truncated: path=" + path + ", bytes=" + size);
            }
            headerLength = prefix.getInt(HEADER_LENGTH_OFFSET) & 0xffff_ffffL;
            headerStart = 12;
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new MatrixFileException(".npy header is too long: path=" + path + ", headerLength=" + headerLength
                + ", max=" + MAX_HEADER_BYTES);
        }
        if (headerStart + headerLength > size) {
            throw new MatrixFileException(".npy header is truncated: path=" + path + ", bytes=" + size
                + ", headerEnd=" + (headerStart + headerLength));
        }
        ByteBuffer text = readAt(channel, headerStart, (int) headerLength);
        String dict = new String(text.array(), 0, text.limit(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeader header = parse(major, dict, path, headerStart + headerLength);
        long expected;
        try {
            expected = Math.addExact(header.dataOffset, Math.multiplyExact(Math.multiplyExact(header.rows, header.cols),
                (long) header.type.byteSize()));
        } catch (ArithmeticException e) {
            throw new MatrixFileException(".npy shape overflows: path=" + path + ", rows=" + header.rows + ", cols=" + header.cols);
        }
        if (expected != size) {
            throw new MatrixFileException(".npy data does not match its header (" + (size < expected ? "truncated" : "trailing bytes")
                + "): path=" + path + ", bytes=" + size + ", expected=" + expected);
        }
        return header;
    }

    private static ByteBuffer readAt(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) > 0) {
            // keep reading: a regular file delivers all it has
        }
        return buffer.flip();
    }

    /** Parses the dict literal: exactly the keys descr, fortran_order and shape, in any order. */
    static NpyHeader parse(int major, String dict, Path path, long dataOffset) {
        Literal literal = new Literal(dict, path);
        String descr = null;
        Boolean fortran = null;
        List<Long> shape = null;
        literal.expect('{');
        while (!literal.peek('}')) {
            String key = literal.string();
            literal.expect(':');
            switch (key) {
                case "descr" -> {
                    if (literal.peek('[')) {
                        throw new MatrixFileException(".npy dtype not supported (structured): path=" + path);
                    }
                    descr = literal.string();
                }
                case "fortran_order" -> fortran = literal.bool();
                case "shape" -> shape = literal.tuple();
                default -> throw new MatrixFileException(".npy header has an unknown key: path=" + path + ", key=" + key);
            }
            if (!literal.peek('}')) {
                literal.expect(',');
            }
        }
        literal.expect('}');
        if (descr == null || fortran == null || shape == null) {
            throw new MatrixFileException(".npy header lacks a key: path=" + path + ", header=" + literal.excerpt());
        }
        StoredType type = TYPES.get(descr);
        if (type == null) {
            throw new MatrixFileException(".npy dtype not supported: path=" + path + ", descr=" + descr
                + " (supported: <f8, <f4, <i8, <i4, |i1, |u1)");
        }
        if (shape.isEmpty() || shape.size() > 2) {
            throw new MatrixFileException(".npy array must have 1 or 2 dimensions: path=" + path + ", shape=" + shape);
        }
        return new NpyHeader(major, type, fortran, shape.get(0), shape.size() == 2 ? shape.get(1) : 1, dataOffset);
    }

    /** A cursor over the header's Python literal: strings, True/False, tuples of integers. */
    private static final class Literal {
        private final String text;
        private final Path path;
        private int at;

        Literal(String text, Path path) {
            this.text = text;
            this.path = path;
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        boolean peek(char c) {
            skipSpace();
            return at < text.length() && text.charAt(at) == c;
        }

        void expect(char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
            at++;
        }

        String string() {
            skipSpace();
            char quote = at < text.length() ? text.charAt(at) : 0;
            if (quote != '\'' && quote != '"') {
                throw error("expected a string");
            }
            int end = text.indexOf(quote, at + 1);
            if (end < 0) {
                throw error("string not closed");
            }
            String value = text.substring(at + 1, end);
            at = end + 1;
            return value;
        }

        boolean bool() {
            skipSpace();
            for (String word : List.of("True", "False")) {
                if (text.startsWith(word, at)) {
                    at += word.length();
                    return word.equals("True");
                }
            }
            throw error("expected True or False");
        }

        List<Long> tuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (!peek(')')) {
                int start = at;
                while (at < text.length() && Character.isDigit(text.charAt(at))) {
                    at++;
                }
                if (start == at || at - start > 18) {
                    throw error("expected a dimension");
                }
                dims.add(Long.parseLong(text.substring(start, at)));
                if (!peek(')')) {
                    expect(',');
                }
            }
            expect(')');
            return dims;
        }

        String excerpt() {
            return text.length() <= 200 ? text.strip() : text.substring(0, 200) + "...";
        }

        MatrixFileException error(String what) {
            return new MatrixFileException(".npy header is malformed (" + what + "): path=" + path + ", at=" + at
                + ", header=" + excerpt());
        }
    }
}

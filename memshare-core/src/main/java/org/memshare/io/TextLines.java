package org.memshare.io;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The lines of a UTF-8 text file (plain or gzip'd), read as bytes with bounded memory: a line longer
 * than the bound, a control character other than tab (binary data: NUL bytes, say) or bytes that are
 * not UTF-8 stop the reading with an error naming the line (and column), however large the file. A
 * leading byte-order mark is skipped; {@code \n} and {@code \r\n} end lines.
 *
 * <p>Each line is offered as bytes ({@link #bytes()}, {@link #start()}, {@link #end()}), which a
 * reader of numbers takes without making a {@code String}, and as text ({@link #text()}); a line
 * that is not plain ASCII ({@link #ascii()}) is checked to be UTF-8 as it is read.
 */
final class TextLines implements Closeable {
    private static final int BUFFER_BYTES = 1 << 16;

    private final Path path;
    private final InputStream in;
    private final int maxLength;
    /** The most bytes a line can take within {@code maxLength} characters (three per character in UTF-8). */
    private final long maxBytes;
    private byte[] buffer = new byte[BUFFER_BYTES];
    /** The file offset of {@code buffer[0]}. */
    private long base;
    /** Lines starting at or after this file offset are not read (a part of the file; gzip: never). */
    private final long limit;
    private int position;
    private int filled;
    private boolean endOfFile;
    private long lineNumber;
    private int lineStart;
    private int lineEnd;
    private boolean lineAscii;
    private String lineText;

    private TextLines(Path path, InputStream in, int maxLength, long base, long lineNumber, long limit) {
        this.path = path;
        this.in = in;
        this.maxLength = maxLength;
        this.maxBytes = 3L * maxLength;
        this.base = base;
        this.lineNumber = lineNumber;
        this.limit = limit;
    }

    /** Opens a text file; {@code gzip} decompresses it on the way. */
    static TextLines open(Path path, boolean gzip, int maxLength) {
        try {
            InputStream in = Files.newInputStream(path);
            if (gzip) {
                try {
                    in = new GZIPInputStream(in, BUFFER_BYTES);
                } catch (IOException e) {
                    in.close();
                    throw e;
                }
            }
            return new TextLines(path, in, maxLength, 0, 0, Long.MAX_VALUE);
        } catch (IOException e) {
            throw failure(path, 0, e);
        }
    }

    /**
     * Opens a part of a plain text file: the lines that start in {@code [from, to)}.
     *
     * @param from the offset where a line starts
     * @param linesBefore the number of lines before that offset (for the line numbers of errors)
     * @param to where the part ends: a line starting here or later belongs to the next part
     */
    static TextLines openPart(Path path, int maxLength, long from, long linesBefore, long to) {
        try {
            FileChannel channel = FileChannel.open(path);
            try {
                channel.position(from);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            return new TextLines(path, Channels.newInputStream(channel), maxLength, from, linesBefore, to);
        } catch (IOException e) {
            throw failure(path, linesBefore + 1, e);
        }
    }

    /** @return the file offset where the current line starts (plain files; in a gzip'd file, of its text) */
    long offset() {
        return base + lineStart;
    }

    /** @return the number of the current line (1-based) */
    long lineNumber() {
        return lineNumber;
    }

    /**
     * Moves to the next line.
     *
     * @return false at the end of the file
     * @throws MatrixFileException for an over-long line, binary data, bytes that are not UTF-8 or a
     *     damaged gzip stream, naming the line (and the column of a control character)
     */
    boolean advance() {
        if (lineNumber == 0 && base == 0) {
            skipByteOrderMark();
        }
        if (base + position >= limit) {
            return false;
        }
        lineText = null;
        boolean ascii = true;
        int i = position;
        while (true) {
            while (i < filled) {
                byte c = buffer[i];
                if (c < 0x20 || c == 0x7f) {
                    if (c == '\n') {
                        checkLength(i - position, ascii);
                        lineNumber++;
                        lineStart = position;
                        lineEnd = i > position && buffer[i - 1] == '\r' ? i - 1 : i;
                        position = i + 1;
                        return accept(ascii);
                    }
                    if (c < 0) {
                        ascii = false;
                    } else if (c != '\t' && c != '\r') {
                        throw controlCharacter(c, i, ascii);
                    }
                }
                i++;
            }
            checkLength(i - position, ascii);
            int scanned = i - position;
            if (!fill()) {
                if (scanned == 0) {
                    return false;
                }
                lineNumber++;
                lineStart = position;
                lineEnd = position + scanned;
                position = lineEnd;
                return accept(ascii);
            }
            i = position + scanned;
        }
    }

    /** @return the next line without its terminator, or null at the end of the file */
    String next() {
        return advance() ? text() : null;
    }

    /** @return whether the current line is plain ASCII, one byte per character */
    boolean ascii() {
        return lineAscii;
    }

    /** @return the buffer that holds the current line (until the next {@link #advance()}) */
    byte[] bytes() {
        return buffer;
    }

    /** @return where the current line starts in {@link #bytes()} */
    int start() {
        return lineStart;
    }

    /** @return where the current line ends in {@link #bytes()}, without its terminator */
    int end() {
        return lineEnd;
    }

    /** @return the current line as text */
    String text() {
        if (lineText == null) {
            lineText = new String(buffer, lineStart, lineEnd - lineStart,
                lineAscii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        }
        return lineText;
    }

    /** Non-ASCII lines are decoded at once: bytes that are not UTF-8 and the length in characters are checked. */
    private boolean accept(boolean ascii) {
        lineAscii = ascii;
        if (!ascii) {
            try {
                lineText = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buffer, lineStart, lineEnd - lineStart)).toString();
            } catch (CharacterCodingException e) {
                throw failure(path, lineNumber, e);
            }
            if (lineText.length() > maxLength) {
                throw tooLong(lineNumber);
            }
        }
        return true;
    }

    /** A line of ASCII is too long past {@code maxLength} bytes, any line past {@link #maxBytes}. */
    private void checkLength(long bytes, boolean ascii) {
        if (bytes > (ascii ? maxLength : maxBytes)) {
            throw tooLong(lineNumber + 1);
        }
    }

    private MatrixFileException tooLong(long line) {
        return new MatrixFileException("line too long: path=" + path + ", line=" + line + ", maxLineLength=" + maxLength
            + " characters (a file without line breaks, or binary data?)");
    }

    private MatrixFileException controlCharacter(byte c, int at, boolean ascii) {
        int column = ascii ? at - position + 1
            : new String(buffer, position, at - position, StandardCharsets.UTF_8).length() + 1;
        return new MatrixFileException("binary data in a text file (control character "
            + String.format("0x%02x", (int) c) + "): path=" + path + ", line=" + (lineNumber + 1) + ", column=" + column);
    }

    /** A byte-order mark written by spreadsheet programs is not part of the first line. */
    private void skipByteOrderMark() {
        while (filled - position < 3 && fill()) {
            // at least three bytes, or the whole file
        }
        if (filled - position >= 3 && buffer[position] == (byte) 0xEF && buffer[position + 1] == (byte) 0xBB
            && buffer[position + 2] == (byte) 0xBF) {
            position += 3;
        }
    }

    /**
     * Reads more bytes after those of the line begun at {@code position}, moving that line to the
     * buffer's start and growing the buffer as the line needs (within {@link #maxBytes}).
     *
     * @return false at the end of the file
     */
    private boolean fill() {
        if (endOfFile) {
            return false;
        }
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, filled - position);
            filled -= position;
            base += position;
            position = 0;
        }
        if (filled == buffer.length) {
            buffer = Arrays.copyOf(buffer, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(2L * buffer.length, BUFFER_BYTES)));
        }
        try {
            int read = in.read(buffer, filled, buffer.length - filled);
            if (read < 0) {
                endOfFile = true;
                return false;
            }
            filled += read;
            return true;
        } catch (IOException e) {
            throw failure(path, lineNumber + 1, e);
        }
    }

    private static RuntimeException failure(Path path, long line, IOException e) {
        String where = "path=" + path + (line > 0 ? ", line=" + line : "");
        if (e instanceof CharacterCodingException) {
            return new MatrixFileException("not UTF-8 text (binary data?): " + where, e);
        }
        if (e instanceof EOFException) {
            return new MatrixFileException("gzip stream is cut short: " + where, e);
        }
        if (e instanceof ZipException) {
            return new MatrixFileException("gzip stream is damaged: " + where + ", reason=" + e.getMessage(), e);
        }
        return new UncheckedIOException("cannot read: " + where, e);
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close: path=" + path, e);
        }
    }
}

package org.memshare.io;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The lines of a UTF-8 text file (plain or gzip'd), read with bounded memory: a line longer than the
 * bound, a control character other than tab (binary data: NUL bytes, say) or bytes that are not UTF-8
 * stop the reading with an error naming the line and column, however large the file. A leading
 * byte-order mark is skipped; {@code \n} and {@code \r\n} end lines.
 */
final class TextLines implements Closeable {
    private static final int BUFFER_CHARS = 1 << 16;

    private final Path path;
    private final Reader reader;
    private final int maxLength;
    private final char[] buffer = new char[BUFFER_CHARS];
    private final StringBuilder line = new StringBuilder();
    private int position;
    private int limit;
    private long lineNumber;

    private TextLines(Path path, Reader reader, int maxLength) {
        this.path = path;
        this.reader = reader;
        this.maxLength = maxLength;
    }

    /** Opens a text file; {@code gzip} decompresses it on the way. */
    static TextLines open(Path path, boolean gzip, int maxLength) {
        try {
            InputStream in = Files.newInputStream(path);
            if (gzip) {
                try {
                    in = new GZIPInputStream(in, BUFFER_CHARS);
                } catch (IOException e) {
                    in.close();
                    throw e;
                }
            }
            Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
            return new TextLines(path, reader, maxLength);
        } catch (IOException e) {
            throw failure(path, 0, e);
        }
    }

    /** @return the number of the line last returned (1-based) */
    long lineNumber() {
        return lineNumber;
    }

    /**
     * @return the next line without its terminator, or null at the end of the file
     * @throws MatrixFileException for an over-long line, binary data, bytes that are not UTF-8 or a
     *     damaged gzip stream, naming line and column
     */
    String next() {
        line.setLength(0);
        boolean any = false;
        while (true) {
            if (position == limit && !fill()) {
                if (!any) {
                    return null;
                }
                lineNumber++;
                return line.toString();
            }
            any = true;
            int start = position;
            while (position < limit) {
                char c = buffer[position];
                if (c == '\n') {
                    line.append(buffer, start, position - start);
                    position++;
                    lineNumber++;
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') {
                        line.setLength(end - 1);
                    }
                    if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                        line.deleteCharAt(0); // a byte-order mark written by spreadsheet programs
                    }
                    return line.toString();
                }
                if (c < 0x20 && c != '\t' && c != '\r' || c == 0x7f) {
                    throw new MatrixFileException("binary data in a text file (control character "
                        + String.format("0x%02x", (int) c) + "): path=" + path + ", line=" + (lineNumber + 1)
                        + ", column=" + (line.length() + position - start + 1));
                }
                position++;
                if (line.length() + position - start > maxLength) {
                    throw new MatrixFileException("line too long: path=" + path + ", line=" + (lineNumber + 1)
                        + ", maxLineLength=" + maxLength + " characters (a file without line breaks, or binary data?)");
                }
            }
            line.append(buffer, start, position - start);
        }
    }

    private boolean fill() {
        try {
            int read = reader.read(buffer, 0, buffer.length);
            position = 0;
            limit = Math.max(read, 0);
            return read > 0;
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
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close: path=" + path, e);
        }
    }
}

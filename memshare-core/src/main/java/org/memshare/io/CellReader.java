package org.memshare.io;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The cells of a CSV line of ASCII bytes, by the rules of {@link CsvFile#split} (a cell in double
 * quotes may hold the delimiter and doubled quotes, unquoted cells are stripped of blanks), found
 * without making a {@code String} per cell: an unquoted cell is handed over as a byte range. Lines
 * that are not ASCII, and every line when the delimiter is not ASCII, go through {@code split}.
 */
final class CellReader {
    private final Path path;
    private final char delimiter;

    /** Receives one cell of a line: a byte range, or for a quoted cell its text. */
    @FunctionalInterface
    interface Sink {
        /**
         * @param cell the cell's place in the line, from 0
         * @param bytes the line's bytes
         * @param from where an unquoted cell starts, blanks stripped
         * @param to where it ends (exclusive)
         * @param quoted a quoted cell's text (quotes removed, doubled quotes made single); null for an unquoted cell
         */
        void cell(int cell, byte[] bytes, int from, int to, String quoted);
    }

    CellReader(Path path, char delimiter) {
        this.path = path;
        this.delimiter = delimiter;
    }

    /** @return whether this reader takes the current line: it is ASCII, and so is the delimiter */
    boolean takes(TextLines lines) {
        return lines.ascii() && delimiter < 0x80;
    }

    /** @return whether the current line holds only blanks, as {@link String#isBlank()}: an ASCII line by its bytes */
    static boolean blank(TextLines lines) {
        if (!lines.ascii()) {
            return lines.text().isBlank(); // decoded already, when the line was read
        }
        byte[] bytes = lines.bytes();
        for (int i = lines.start(); i < lines.end(); i++) {
            if (!isBlank(bytes[i])) {
                return false;
            }
        }
        return true;
    }

    /** @return the number of cells of the current line: delimiters plus one when it has no quotes */
    int count(TextLines lines) {
        byte[] bytes = lines.bytes();
        int count = 1;
        for (int i = lines.start(); i < lines.end(); i++) {
            byte c = bytes[i];
            if (c == delimiter) {
                count++;
            } else if (c == '"') {
                return read(lines, new boolean[0], null);
            }
        }
        return count;
    }

    /**
     * Hands the wanted cells of the current line to {@code sink}.
     *
     * @param wanted which cells the sink receives, by place; cells past its end are not wanted
     * @return the number of cells of the line
     * @throws MatrixFileException for a quote that is not closed on its line
     */
    int read(TextLines lines, boolean[] wanted, Sink sink) {
        byte[] bytes = lines.bytes();
        int n = lines.end();
        int i = lines.start();
        int cell = 0;
        while (true) {
            while (i < n && (bytes[i] == ' ' || bytes[i] == '\t') && bytes[i] != delimiter) {
                i++;
            }
            boolean want = cell < wanted.length && wanted[cell];
            if (i < n && bytes[i] == '"') {
                int from = ++i;
                boolean doubled = false;
                boolean closed = false;
                while (i < n) {
                    if (bytes[i++] == '"') {
                        if (i < n && bytes[i] == '"') {
                            doubled = true;
                            i++;
                        } else {
                            closed = true;
                            break;
                        }
                    }
                }
                if (!closed) {
                    throw new MatrixFileException("CSV quote not closed on its line: path=" + path + ", line="
                        + lines.lineNumber() + ", column=" + (cell + 1));
                }
                if (want) {
                    String text = new String(bytes, from, i - 1 - from, StandardCharsets.ISO_8859_1);
                    sink.cell(cell, bytes, from, from, doubled ? text.replace("\"\"", "\"") : text);
                }
                while (i < n && bytes[i] != delimiter) {
                    i++; // whatever follows the closing quote up to the delimiter (spaces) is not part of the cell
                }
            } else {
                int end = i;
                while (end < n && bytes[end] != delimiter) {
                    end++;
                }
                if (want) {
                    int from = i;
                    int to = end;
                    while (from < to && isBlank(bytes[from])) {
                        from++;
                    }
                    while (to > from && isBlank(bytes[to - 1])) {
                        to--;
                    }
                    sink.cell(cell, bytes, from, to, null);
                }
                i = end;
            }
            cell++;
            if (i >= n) {
                return cell;
            }
            i++; // the delimiter
            if (i == n) {
                if (cell < wanted.length && wanted[cell]) {
                    sink.cell(cell, bytes, n, n, null); // a trailing delimiter ends with an empty cell
                }
                return cell + 1;
            }
        }
    }

    /** The blanks {@link String#strip()} removes that a line of text may hold (other controls are refused). */
    private static boolean isBlank(byte c) {
        return c == ' ' || c == '\t' || c == '\r';
    }
}

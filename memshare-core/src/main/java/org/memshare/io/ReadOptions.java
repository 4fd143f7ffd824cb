package org.memshare.io;

import java.io.Serializable;

/**
 * How text input is read. Immutable (and serializable, so a job can send it to the hosts that read
 * the file); start from {@link #defaults()}.
 *
 * {@snippet :
 * MatrixFile file = MatrixFile.open(Path.of("data.csv"), ReadOptions.defaults().withDelimiter(';'));
 * }
 *
 * @param delimiter the CSV cell separator: {@code ','} by default, {@code ';'} or a tab as
 *     spreadsheets write them
 * @param maxLineLength the longest line, in characters, a text file may have; a longer one is an
 *     error naming its line (this bounds the memory a line takes)
 */
public record ReadOptions(char delimiter, int maxLineLength) implements Serializable {
    /** The default longest line: 8 Mi characters (16 MB of heap at most). */
    public static final int DEFAULT_MAX_LINE_LENGTH = 8 << 20;

    /**
     * Checks both options.
     *
     * @throws IllegalArgumentException for a delimiter that is a quote, a line break or a space, or a
     *     maximum line length below 1
     */
    public ReadOptions {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r' || delimiter == ' ') {
            throw new IllegalArgumentException("delimiter cannot be a quote, a line break or a space: delimiter="
                + printable(delimiter));
        }
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("maxLineLength must be positive: maxLineLength=" + maxLineLength);
        }
    }

    /**
     * The options {@link MatrixFile#open(java.nio.file.Path)} uses.
     *
     * @return comma-separated, lines of at most {@value #DEFAULT_MAX_LINE_LENGTH} characters
     */
    public static ReadOptions defaults() {
        return new ReadOptions(',', DEFAULT_MAX_LINE_LENGTH);
    }

    /**
     * Changes the cell separator.
     *
     * @param separator the CSV cell separator
     * @return these options with that delimiter
     * @throws IllegalArgumentException for a quote, a line break or a space
     */
    public ReadOptions withDelimiter(char separator) {
        return new ReadOptions(separator, maxLineLength);
    }

    /**
     * Changes the longest line a text file may have.
     *
     * @param characters the longest line allowed, at least 1
     * @return these options with that bound
     * @throws IllegalArgumentException when {@code characters < 1}
     */
    public ReadOptions withMaxLineLength(int characters) {
        return new ReadOptions(delimiter, characters);
    }

    /**
     * Reads a delimiter as written on a command line: one character, or {@code \t} / {@code tab}.
     *
     * @param text the delimiter as typed
     * @return the character
     * @throws IllegalArgumentException for anything else
     */
    public static char parseDelimiter(String text) {
        if (text.equals("\\t") || text.equalsIgnoreCase("tab")) {
            return '\t';
        }
        if (text.length() != 1) {
            throw new IllegalArgumentException("delimiter must be one character (or \\t, tab): delimiter=" + text);
        }
        return text.charAt(0);
    }

    static String printable(char c) {
        return c == '\t' ? "\\t" : c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}

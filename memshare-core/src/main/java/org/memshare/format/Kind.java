package org.memshare.format;

import java.util.Locale;

/** What a segment holds; the code is stored in the header's kind field. */
public enum Kind {
    /** A one-dimensional array: shape is {@code [length]}. */
    VECTOR(1),
    /** A column-major (R layout) two-dimensional array: shape is {@code [nrow, ncol]}. */
    MATRIX(2),
    /** A list of vectors and matrices: shape is {@code [size]}; elements are in the list directory. */
    LIST(3),
    /** Raw bytes allocated through the SharedObject developer API: shape is {@code [bytes]}. */
    RAW(4);

    private final int code;

    Kind(int code) {
        this.code = code;
    }

    /**
     * The kind's code in a segment header.
     *
     * @return the value stored in the header
     */
    public int code() {
        return code;
    }

    /**
     * The kind stored under a header code.
     *
     * @param code a stored kind code
     * @return the kind
     * @throws SegmentFormatException when the code is unknown
     */
    public static Kind ofCode(int code) {
        for (Kind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        throw new SegmentFormatException("unknown kind code: kind=" + code);
    }

    /**
     * The kind's name as listings and JSON show it, for example {@code matrix}.
     *
     * @return the lower-case name used in listings and JSON
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

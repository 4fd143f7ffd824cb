package org.memshare.format;

import java.lang.foreign.ValueLayout;
import java.util.Locale;

/** Element types of vectors and matrices; values are stored in native (little-endian) byte order. */
public enum ElementType {
    /** IEEE 754 binary64, R's {@code double}. */
    DOUBLE(1, ValueLayout.JAVA_DOUBLE),
    /** IEEE 754 binary32. */
    FLOAT(2, ValueLayout.JAVA_FLOAT),
    /** Two's complement 64-bit integer. */
    LONG(3, ValueLayout.JAVA_LONG),
    /** Two's complement 32-bit integer, R's {@code integer}. */
    INT(4, ValueLayout.JAVA_INT),
    /** Signed 8-bit integer; also the type of raw segments. */
    BYTE(5, ValueLayout.JAVA_BYTE);

    /** Stored in a list's own header, whose elements each carry their own type. */
    public static final int NONE_CODE = 0;

    private final int code;
    private final ValueLayout layout;

    ElementType(int code, ValueLayout layout) {
        this.code = code;
        this.layout = layout;
    }

    /**
     * The element type's code in a segment header.
     *
     * @return the value stored in the header
     */
    public int code() {
        return code;
    }

    /**
     * How many bytes one element takes.
     *
     * @return the size of one element in bytes
     */
    public int byteSize() {
        return (int) layout.byteSize();
    }

    /**
     * The layout to read and write one element with.
     *
     * @return the FFM layout of one element, native byte order
     */
    public ValueLayout layout() {
        return layout;
    }

    /**
     * The element type stored under a header code.
     *
     * @param code a stored element-type code
     * @return the element type
     * @throws SegmentFormatException when the code is unknown
     */
    public static ElementType ofCode(int code) {
        for (ElementType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new SegmentFormatException("unknown element type code: elementType=" + code);
    }

    /**
     * The type's name as listings and JSON show it, for example {@code double}.
     *
     * @return the lower-case name used in listings and JSON
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

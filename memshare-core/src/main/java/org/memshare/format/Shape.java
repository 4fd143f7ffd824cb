package org.memshare.format;

/**
 * Kind, element type and dimensions of one array (a vector or matrix, alone or as a list element),
 * with the arithmetic on them that must not overflow.
 *
 * @param kind {@link Kind#VECTOR} or {@link Kind#MATRIX} (or {@link Kind#RAW})
 * @param elementType the element type
 * @param rows the length of a vector, the row count of a matrix
 * @param cols 1 for a vector, the column count of a matrix
 */
public record Shape(Kind kind, ElementType elementType, long rows, long cols) {

    /**
     * @throws IllegalArgumentException for a list kind, negative dimensions, a vector with cols != 1,
     *     or a size that overflows a long
     */
    public Shape {
        if (kind == Kind.LIST) {
            throw new IllegalArgumentException("a list is not an array shape");
        }
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("dimensions must not be negative: rows=" + rows + ", cols=" + cols);
        }
        if (kind != Kind.MATRIX && cols != 1) {
            throw new IllegalArgumentException("a " + kind.label() + " has one column: cols=" + cols);
        }
        dataBytes(rows, cols, elementType);
    }

    /** @return a vector shape */
    public static Shape vector(ElementType type, long length) {
        return new Shape(Kind.VECTOR, type, length, 1);
    }

    /** @return a matrix shape */
    public static Shape matrix(ElementType type, long rows, long cols) {
        return new Shape(Kind.MATRIX, type, rows, cols);
    }

    /** @return the number of elements */
    public long elementCount() {
        return rows * cols;
    }

    /** @return the bytes of the data */
    public long dataBytes() {
        return dataBytes(rows, cols, elementType);
    }

    private static long dataBytes(long rows, long cols, ElementType type) {
        try {
            return Math.multiplyExact(Math.multiplyExact(rows, cols), (long) type.byteSize());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("dimensions overflow: rows=" + rows + ", cols=" + cols
                + ", elementType=" + type.label());
        }
    }

    /** @return the shape as listed: {@code [length]} or {@code [nrow, ncol]} */
    public long[] dims() {
        return kind == Kind.MATRIX ? new long[] {rows, cols} : new long[] {rows};
    }
}

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
     * Checks the dimensions.
     *
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

    /**
     * The shape of a vector.
     *
     * @param type the element type
     * @param length the number of elements, not negative
     * @return a vector shape
     * @throws IllegalArgumentException when {@code length} is negative or its size in bytes overflows a long
     */
    public static Shape vector(ElementType type, long length) {
        return new Shape(Kind.VECTOR, type, length, 1);
    }

    /**
     * The shape of a column-major matrix.
     *
     * @param type the element type
     * @param rows the row count, not negative
     * @param cols the column count, not negative
     * @return a matrix shape
     * @throws IllegalArgumentException when a dimension is negative or the size in bytes overflows a long
     */
    public static Shape matrix(ElementType type, long rows, long cols) {
        return new Shape(Kind.MATRIX, type, rows, cols);
    }

    /**
     * How many elements the array holds: {@code rows × cols}.
     *
     * @return the number of elements
     */
    public long elementCount() {
        return rows * cols;
    }

    /**
     * How many bytes the array's data takes: elements × element size (no header, no padding).
     *
     * @return the bytes of the data
     */
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

    /**
     * The dimensions as listings and R show them.
     *
     * @return a new array: {@code [length]} for a vector or raw memory, {@code [nrow, ncol]} for a matrix
     */
    public long[] dims() {
        return kind == Kind.MATRIX ? new long[] {rows, cols} : new long[] {rows};
    }
}

package org.memshare.registry;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.memshare.format.ElementType;
import org.memshare.format.Kind;
import org.memshare.format.Shape;

/**
 * Data to register: a vector, a column-major matrix, or a list of vectors and matrices. The records
 * wrap the caller's arrays without copying; registration copies them once into shared memory.
 *
 * {@snippet :
 * Variable y = Variable.vector(new double[] {1, 2, 3});
 * Variable x = Variable.matrix(2, 3, new double[] {1, 2, 3, 4, 5, 6});   // column-major, as in R
 * Variable rows = Variable.matrixFromRows(new double[][] {{1, 3, 5}, {2, 4, 6}}); // the same matrix
 * Variable both = Variable.list(x, y);
 * }
 */
public sealed interface Variable permits Variable.Vector, Variable.Matrix, Variable.ListOf {

    /**
     * A vector.
     *
     * @param type element type
     * @param data the elements; a heap segment over the caller's array, or any readable segment
     */
    record Vector(ElementType type, MemorySegment data) implements Variable {
        /**
         * Checks that the data holds whole elements.
         *
         * @throws IllegalArgumentException when the data is not a whole number of elements
         */
        public Vector {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(data, "data");
            if (data.byteSize() % type.byteSize() != 0) {
                throw new IllegalArgumentException("data is not a whole number of elements: bytes="
                    + data.byteSize() + ", elementType=" + type.label());
            }
        }

        /**
         * The vector's length.
         *
         * @return the number of elements
         */
        public long length() {
            return data.byteSize() / type.byteSize();
        }

        @Override
        public List<Shape> shapes() {
            return List.of(Shape.vector(type, length()));
        }
    }

    /**
     * A column-major matrix (element (i, j) at index {@code i + j * nrow}), optionally with column
     * names, which travel with it into the segment ({@link Metadata#columnNames()},
     * {@link MatrixView#columnNames()}, Python's {@code attach(..., names=True)}).
     *
     * {@snippet :
     * Variable x = Variable.matrix(2, 2, new double[] {1, 2, 3, 4}).withColumnNames("age", "dose");
     * }
     *
     * @param type element type
     * @param nrow rows
     * @param ncol columns
     * @param data {@code nrow * ncol} elements, column-major
     * @param columnNames one name per column, or empty for none
     */
    record Matrix(ElementType type, long nrow, long ncol, MemorySegment data, List<String> columnNames)
        implements Variable {
        /**
         * Checks the dimensions against the data and the names against the columns; copies the names.
         *
         * @throws IllegalArgumentException for negative dimensions, data of another size, or names
         *     that are not one per column
         * @throws NullPointerException when {@code type}, {@code data} or {@code columnNames} is null
         */
        public Matrix {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(data, "data");
            columnNames = List.copyOf(Objects.requireNonNull(columnNames, "columnNames"));
            Shape shape = Shape.matrix(type, nrow, ncol);
            if (shape.dataBytes() != data.byteSize()) {
                throw new IllegalArgumentException("matrix data does not match its dimensions: nrow=" + nrow
                    + ", ncol=" + ncol + ", elements=" + data.byteSize() / type.byteSize());
            }
            if (!columnNames.isEmpty() && columnNames.size() != ncol) {
                throw new IllegalArgumentException("column names do not match the columns: names="
                    + columnNames.size() + ", ncol=" + ncol);
            }
        }

        /**
         * A matrix without column names.
         *
         * @param type element type
         * @param nrow rows
         * @param ncol columns
         * @param data {@code nrow * ncol} elements, column-major
         */
        public Matrix(ElementType type, long nrow, long ncol, MemorySegment data) {
            this(type, nrow, ncol, data, List.of());
        }

        /**
         * The same matrix, named column by column; registration stores the names with it.
         *
         * @param names one name per column: distinct, non-empty, at most 1024 UTF-8 bytes each
         * @return this matrix with these column names (the data is not copied)
         * @throws IllegalArgumentException when the count does not match the columns
         */
        public Matrix withColumnNames(List<String> names) {
            return new Matrix(type, nrow, ncol, data, names);
        }

        /**
         * The same matrix, named column by column: {@code withColumnNames(List.of(names))}.
         *
         * @param names one name per column
         * @return this matrix with these column names (the data is not copied)
         * @throws IllegalArgumentException when the count does not match the columns
         */
        public Matrix withColumnNames(String... names) {
            return withColumnNames(List.of(names));
        }

        @Override
        public List<Shape> shapes() {
            return List.of(Shape.matrix(type, nrow, ncol));
        }
    }

    /**
     * A list of vectors and matrices (lists do not nest).
     *
     * @param elements the elements, in order
     */
    record ListOf(List<Variable> elements) implements Variable {
        /**
         * Copies the element list and checks that no element is a list.
         *
         * @throws IllegalArgumentException for a nested list
         * @throws NullPointerException for a null element
         */
        public ListOf {
            elements = List.copyOf(elements);
            for (int i = 0; i < elements.size(); i++) {
                if (elements.get(i) instanceof ListOf) {
                    throw new IllegalArgumentException("lists do not nest: element=" + i + " is a list");
                }
            }
        }

        @Override
        public List<Shape> shapes() {
            List<Shape> shapes = new ArrayList<>(elements.size());
            for (Variable element : elements) {
                shapes.addAll(element.shapes());
            }
            return shapes;
        }
    }

    /**
     * The arrays this variable stores, in order; registration sizes the segment from them.
     *
     * @return the shapes of the arrays this variable stores: one, or one per list element
     */
    List<Shape> shapes();

    /**
     * What the variable is registered as.
     *
     * @return the kind of segment this variable becomes
     */
    default Kind kind() {
        return switch (this) {
            case Vector v -> Kind.VECTOR;
            case Matrix m -> Kind.MATRIX;
            case ListOf l -> Kind.LIST;
        };
    }

    /**
     * A double vector (R's {@code numeric}) over the caller's array.
     *
     * @param values the elements; not copied until registration, so do not change them before
     * @return a double vector over {@code values}
     * @throws NullPointerException when {@code values} is null
     */
    static Vector vector(double[] values) {
        return new Vector(ElementType.DOUBLE, MemorySegment.ofArray(Objects.requireNonNull(values, "values")));
    }

    /**
     * A float vector over the caller's array.
     *
     * @param values the elements; not copied until registration
     * @return a float vector over {@code values}
     * @throws NullPointerException when {@code values} is null
     */
    static Vector vector(float[] values) {
        return new Vector(ElementType.FLOAT, MemorySegment.ofArray(Objects.requireNonNull(values, "values")));
    }

    /**
     * A long vector over the caller's array.
     *
     * @param values the elements; not copied until registration
     * @return a long vector over {@code values}
     * @throws NullPointerException when {@code values} is null
     */
    static Vector vector(long[] values) {
        return new Vector(ElementType.LONG, MemorySegment.ofArray(Objects.requireNonNull(values, "values")));
    }

    /**
     * An int vector (R's {@code integer}) over the caller's array.
     *
     * @param values the elements; not copied until registration
     * @return an int vector over {@code values}
     * @throws NullPointerException when {@code values} is null
     */
    static Vector vector(int[] values) {
        return new Vector(ElementType.INT, MemorySegment.ofArray(Objects.requireNonNull(values, "values")));
    }

    /**
     * A byte vector over the caller's array.
     *
     * @param values the elements; not copied until registration
     * @return a byte vector over {@code values}
     * @throws NullPointerException when {@code values} is null
     */
    static Vector vector(byte[] values) {
        return new Vector(ElementType.BYTE, MemorySegment.ofArray(Objects.requireNonNull(values, "values")));
    }

    /**
     * A double matrix over the caller's column-major array: element (i, j) is
     * {@code columnMajor[i + j * nrow]}, as in R.
     *
     * @param nrow the row count, not negative
     * @param ncol the column count, not negative
     * @param columnMajor {@code nrow * ncol} elements, column by column; not copied until registration
     * @return a double matrix
     * @throws IllegalArgumentException for negative dimensions or an array of another length
     * @throws NullPointerException when {@code columnMajor} is null
     */
    static Matrix matrix(long nrow, long ncol, double[] columnMajor) {
        return new Matrix(ElementType.DOUBLE, nrow, ncol, MemorySegment.ofArray(Objects.requireNonNull(columnMajor, "columnMajor")));
    }

    /**
     * A float matrix over the caller's column-major array: element (i, j) is
     * {@code columnMajor[i + j * nrow]}, as in R.
     *
     * @param nrow the row count, not negative
     * @param ncol the column count, not negative
     * @param columnMajor {@code nrow * ncol} elements, column by column; not copied until registration
     * @return a float matrix
     * @throws IllegalArgumentException for negative dimensions or an array of another length
     * @throws NullPointerException when {@code columnMajor} is null
     */
    static Matrix matrix(long nrow, long ncol, float[] columnMajor) {
        return new Matrix(ElementType.FLOAT, nrow, ncol, MemorySegment.ofArray(Objects.requireNonNull(columnMajor, "columnMajor")));
    }

    /**
     * A long matrix over the caller's column-major array: element (i, j) is
     * {@code columnMajor[i + j * nrow]}, as in R.
     *
     * @param nrow the row count, not negative
     * @param ncol the column count, not negative
     * @param columnMajor {@code nrow * ncol} elements, column by column; not copied until registration
     * @return a long matrix
     * @throws IllegalArgumentException for negative dimensions or an array of another length
     * @throws NullPointerException when {@code columnMajor} is null
     */
    static Matrix matrix(long nrow, long ncol, long[] columnMajor) {
        return new Matrix(ElementType.LONG, nrow, ncol, MemorySegment.ofArray(Objects.requireNonNull(columnMajor, "columnMajor")));
    }

    /**
     * An int matrix over the caller's column-major array: element (i, j) is
     * {@code columnMajor[i + j * nrow]}, as in R.
     *
     * @param nrow the row count, not negative
     * @param ncol the column count, not negative
     * @param columnMajor {@code nrow * ncol} elements, column by column; not copied until registration
     * @return an int matrix
     * @throws IllegalArgumentException for negative dimensions or an array of another length
     * @throws NullPointerException when {@code columnMajor} is null
     */
    static Matrix matrix(long nrow, long ncol, int[] columnMajor) {
        return new Matrix(ElementType.INT, nrow, ncol, MemorySegment.ofArray(Objects.requireNonNull(columnMajor, "columnMajor")));
    }

    /**
     * A byte matrix over the caller's column-major array: element (i, j) is
     * {@code columnMajor[i + j * nrow]}, as in R.
     *
     * @param nrow the row count, not negative
     * @param ncol the column count, not negative
     * @param columnMajor {@code nrow * ncol} elements, column by column; not copied until registration
     * @return a byte matrix
     * @throws IllegalArgumentException for negative dimensions or an array of another length
     * @throws NullPointerException when {@code columnMajor} is null
     */
    static Matrix matrix(long nrow, long ncol, byte[] columnMajor) {
        return new Matrix(ElementType.BYTE, nrow, ncol, MemorySegment.ofArray(Objects.requireNonNull(columnMajor, "columnMajor")));
    }

    /**
     * A double matrix from rows ({@code rows[i][j]} is element (i, j)); copied into column-major order.
     *
     * @param rows the rows, all of the same length; no rows make a 0 × 0 matrix
     * @return a double matrix, {@code rows.length × rows[0].length}
     * @throws IllegalArgumentException when the rows differ in length (ragged), naming the first that does
     * @throws NullPointerException when {@code rows} or one of its rows is null
     */
    static Matrix matrixFromRows(double[][] rows) {
        Objects.requireNonNull(rows, "rows");
        int nrow = rows.length;
        int ncol = nrow == 0 ? 0 : Objects.requireNonNull(rows[0], "rows[0]").length;
        double[] columnMajor = new double[Math.multiplyExact(nrow, ncol)];
        for (int i = 0; i < nrow; i++) {
            int index = i;
            double[] row = Objects.requireNonNull(rows[i], () -> "rows[" + index + "] must not be null");
            if (row.length != ncol) {
                throw new IllegalArgumentException("ragged rows: rows[0].length=" + ncol + ", rows[" + i
                    + "].length=" + row.length);
            }
            for (int j = 0; j < ncol; j++) {
                columnMajor[i + j * nrow] = row[j];
            }
        }
        return matrix(nrow, ncol, columnMajor);
    }

    /**
     * A list (R's {@code list}) of vectors and matrices.
     *
     * @param elements the elements, in order; none may be a list
     * @return a list of the given vectors and matrices
     * @throws IllegalArgumentException when an element is a list (lists do not nest)
     * @throws NullPointerException when an element is null
     */
    static ListOf list(Variable... elements) {
        return new ListOf(List.of(elements));
    }

    /**
     * A list (R's {@code list}) of vectors and matrices.
     *
     * @param elements the elements, in order (the list is copied); none may be a list
     * @return a list of the given vectors and matrices
     * @throws IllegalArgumentException when an element is a list (lists do not nest)
     * @throws NullPointerException when an element is null
     */
    static ListOf list(List<? extends Variable> elements) {
        return new ListOf(List.copyOf(elements));
    }

    /**
     * Converts plain Java data: a {@code Variable} as it is; {@code double[]}, {@code float[]},
     * {@code long[]}, {@code int[]}, {@code byte[]} as vectors; {@code double[][]} as a matrix of rows;
     * a {@code java.util.List} as a list of such.
     *
     * @param value the data
     * @return the variable; arrays are wrapped, not copied (except {@code double[][]}, copied into
     *         column-major order)
     * @throws IllegalArgumentException naming the unsupported type, for a list inside a list, or for
     *         ragged {@code double[][]} rows
     * @throws NullPointerException when {@code value} is null
     */
    static Variable of(Object value) {
        return switch (value) {
            case null -> throw new NullPointerException("value must not be null");
            case Variable v -> v;
            case double[] a -> vector(a);
            case float[] a -> vector(a);
            case long[] a -> vector(a);
            case int[] a -> vector(a);
            case byte[] a -> vector(a);
            case double[][] rows -> matrixFromRows(rows);
            case List<?> items -> {
                List<Variable> elements = new ArrayList<>(items.size());
                for (Object item : items) {
                    if (item instanceof List<?>) {
                        throw new IllegalArgumentException("lists do not nest: element=" + elements.size() + " is a list");
                    }
                    elements.add(of(item));
                }
                yield new ListOf(elements);
            }
            default -> throw new IllegalArgumentException("cannot register a value of type "
                + value.getClass().getTypeName() + ": use double[], double[][], int[], long[], float[], byte[],"
                + " a List of these, or a Variable");
        };
    }
}

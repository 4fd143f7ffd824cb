package org.memshare.registry;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;
import org.memshare.format.ElementType;

/**
 * A zero-copy view of a column-major matrix. Columns are contiguous views, rows strided views; both
 * live as long as this view.
 *
 * {@snippet :
 * try (MatrixView x = memShare.retrieveMatrix("ns", "X")) {
 *     for (long j = 0; j < x.ncol(); j++) {
 *         VectorView column = x.column(j);   // no copy
 *     }
 * }
 * }
 */
public final class MatrixView extends HandleView implements View {
    private final ElementType type;
    private final long offset;
    private final long nrow;
    private final long ncol;

    MatrixView(ViewHandle handle, ElementType type, long offset, long nrow, long ncol, boolean derived) {
        super(handle, derived);
        this.type = type;
        this.offset = offset;
        this.nrow = nrow;
        this.ncol = ncol;
    }

    /**
     * The matrix's row count.
     *
     * @return the number of rows
     */
    public long nrow() {
        return nrow;
    }

    /**
     * The matrix's column count.
     *
     * @return the number of columns
     */
    public long ncol() {
        return ncol;
    }

    /**
     * The column names registered with the matrix ({@link Variable.Matrix#withColumnNames(String...)},
     * or the names a loaded file carried).
     *
     * @return the column names stored with the matrix, one per column; empty when it has none
     */
    public List<String> columnNames() {
        return metadata().columnNames();
    }

    /**
     * The index of a named column, for {@link #column(long)}.
     *
     * @param name a column name
     * @return the index of that column
     * @throws IllegalArgumentException when the matrix has no column of that name (or no names)
     */
    public long columnIndex(String name) {
        int index = columnNames().indexOf(name);
        if (index < 0) {
            List<String> names = columnNames();
            throw new IllegalArgumentException("no such column: variable=" + name() + ", column=" + name
                + ", columns=" + (names.isEmpty() ? "(no names stored)" : names.size() <= 20 ? names
                    : names.subList(0, 20) + "..."));
        }
        return index;
    }

    /**
     * The type the elements are stored as; {@link #get(long, long)} converts each to {@code double}.
     *
     * @return the element type
     */
    public ElementType elementType() {
        return type;
    }

    /**
     * Reads one element.
     *
     * @param i row index, {@code 0 <= i < nrow()}
     * @param j column index, {@code 0 <= j < ncol()}
     * @return element (i, j) as a double
     * @throws IndexOutOfBoundsException for a bad index
     * @throws ViewReleasedException after release
     * @throws org.memshare.format.SegmentFormatException when another process truncated the file under the view
     */
    public double get(long i, long j) {
        Objects.checkIndex(i, nrow);
        Objects.checkIndex(j, ncol);
        return all().get(i + j * nrow);
    }

    /**
     * Writes element (i, j), converting from double; visible at once to every process.
     *
     * @param i row index, {@code 0 <= i < nrow()}
     * @param j column index, {@code 0 <= j < ncol()}
     * @param value the value to store
     * @throws IndexOutOfBoundsException for a bad index
     * @throws IllegalStateException when the view is read-only
     * @throws ViewReleasedException after release
     * @throws org.memshare.format.SegmentFormatException when another process truncated the file under the view
     */
    public void set(long i, long j, double value) {
        Objects.checkIndex(i, nrow);
        Objects.checkIndex(j, ncol);
        all().set(i + j * nrow, value);
    }

    /**
     * One column, as a view derived from this one (it lives as long as this view).
     *
     * @param j column index, {@code 0 <= j < ncol()}
     * @return column {@code j}, zero-copy and contiguous
     * @throws IndexOutOfBoundsException for a bad index
     */
    public VectorView column(long j) {
        Objects.checkIndex(j, ncol);
        return new VectorView(handle, type, offset + j * nrow * type.byteSize(), type.byteSize(), nrow, true);
    }

    /**
     * One row, as a view derived from this one (it lives as long as this view).
     *
     * @param i row index, {@code 0 <= i < nrow()}
     * @return row {@code i}, zero-copy with a stride of {@code nrow} elements
     * @throws IndexOutOfBoundsException for a bad index
     */
    public VectorView row(long i) {
        Objects.checkIndex(i, nrow);
        return new VectorView(handle, type, offset + i * type.byteSize(), nrow * type.byteSize(), ncol, true);
    }

    /**
     * The whole matrix as one vector, as a view derived from this one.
     *
     * @return every element, column after column, as one vector view
     */
    public VectorView all() {
        return new VectorView(handle, type, offset, type.byteSize(), nrow * ncol, true);
    }

    /**
     * Where the data starts in the variable's file, for programs that read the file instead of
     * mapping it (with {@code pread}, a {@code FileChannel}): the data runs column-major and contiguous
     * from there.
     *
     * {@snippet :
     * try (MatrixView x = memShare.retrieveMatrix("ns", "X")) {
     *     long offset = x.dataOffset();   // 128 in this library's layout, 0 in R's
     * }
     * }
     *
     * @return the byte offset of element (0, 0) from the start of the segment file
     */
    public long dataOffset() {
        return offset;
    }

    /**
     * The data as a memory segment (read-only for a read-only view); see {@link VectorView#segment()}
     * for what accesses through it bypass.
     *
     * @return the data as one column-major memory segment, zero-copy
     */
    public MemorySegment segment() {
        return all().segment();
    }

    /**
     * Copies the matrix to the heap, converting every element to {@code double}.
     *
     * @return a copy of the data, column-major
     * @throws IllegalStateException when the matrix has more elements than a Java array holds
     */
    public double[] toColumnMajorArray() {
        return all().toDoubleArray();
    }


    @Override
    public String toString() {
        return "MatrixView[variable=" + name() + ", nrow=" + nrow + ", ncol=" + ncol + ", elementType="
            + type.label() + (isReleased() ? ", released" : "") + "]";
    }
}

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

    /** @return the number of rows */
    public long nrow() {
        return nrow;
    }

    /** @return the number of columns */
    public long ncol() {
        return ncol;
    }

    /** @return the column names stored with the matrix, one per column; empty when it has none */
    public List<String> columnNames() {
        return metadata().columnNames();
    }

    /**
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

    /** @return the element type */
    public ElementType elementType() {
        return type;
    }

    /** @return element (i, j) as a double */
    public double get(long i, long j) {
        Objects.checkIndex(i, nrow);
        Objects.checkIndex(j, ncol);
        return all().get(i + j * nrow);
    }

    /** Writes element (i, j); needs a writable view. */
    public void set(long i, long j, double value) {
        Objects.checkIndex(i, nrow);
        Objects.checkIndex(j, ncol);
        all().set(i + j * nrow, value);
    }

    /** @return column {@code j}, zero-copy and contiguous */
    public VectorView column(long j) {
        Objects.checkIndex(j, ncol);
        return new VectorView(handle, type, offset + j * nrow * type.byteSize(), type.byteSize(), nrow, true);
    }

    /** @return row {@code i}, zero-copy with a stride of {@code nrow} elements */
    public VectorView row(long i) {
        Objects.checkIndex(i, nrow);
        return new VectorView(handle, type, offset + i * type.byteSize(), nrow * type.byteSize(), ncol, true);
    }

    /** @return every element, column after column, as one vector view */
    public VectorView all() {
        return new VectorView(handle, type, offset, type.byteSize(), nrow * ncol, true);
    }

    /** @return the data as one column-major memory segment, zero-copy */
    public MemorySegment segment() {
        return all().segment();
    }

    /** @return a copy of the data, column-major */
    public double[] toColumnMajorArray() {
        return all().toDoubleArray();
    }


    @Override
    public String toString() {
        return "MatrixView[variable=" + name() + ", nrow=" + nrow + ", ncol=" + ncol + ", elementType="
            + type.label() + (isReleased() ? ", released" : "") + "]";
    }
}

package org.memshare.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.memshare.format.internal.ArrayPlacement;
import org.memshare.format.ElementType;
import org.memshare.format.Kind;
import org.memshare.format.internal.SegmentHeader;
import org.memshare.format.Shape;
import org.memshare.segment.ProcessIdentity;

/**
 * What a variable is, as {@code retrieveMetadata} reports it: kind, element type, shape, and what
 * R memshare does not record (owner, creation time, format version). Immutable.
 *
 * @param name the variable
 * @param kind vector, matrix, list (or raw)
 * @param elementType the element type; null for a list, whose elements carry their own
 * @param shape {@code [length]}, {@code [nrow, ncol]}, or {@code [size]} for a list
 * @param elements the shapes of a list's elements; empty otherwise
 * @param dataBytes bytes of data (header excluded)
 * @param owner the registering process (pid 0 where the layout does not record it)
 * @param created creation time (the epoch where the layout does not record it)
 * @param formatVersion the format version of the segment (0 for R memshare's layout)
 * @param layout the storage layout
 * @param columnNames a matrix's column names, one per column; empty when it has none
 */
public record Metadata(QualifiedName name, Kind kind, ElementType elementType, List<Long> shape,
                       List<Shape> elements, long dataBytes, ProcessIdentity owner, Instant created,
                       int formatVersion, StorageLayout layout, List<String> columnNames) {

    /** Copies the lists, so the record stays immutable. */
    public Metadata {
        shape = List.copyOf(shape);
        elements = List.copyOf(elements);
        columnNames = List.copyOf(columnNames);
    }

    /**
     * @param name the variable
     * @param header its decoded header
     * @param layout the layout it was read in
     * @return the metadata the header describes
     */
    static Metadata of(QualifiedName name, SegmentHeader header, StorageLayout layout) {
        if (header.kind() == Kind.LIST) {
            List<Shape> elements = new ArrayList<>(header.arrays().size());
            for (ArrayPlacement array : header.arrays()) {
                elements.add(array.shape());
            }
            return new Metadata(name, Kind.LIST, null, List.of((long) elements.size()), elements,
                header.dataBytes(), header.owner(), Instant.ofEpochMilli(header.createdMillis()),
                header.formatVersion(), layout, List.of());
        }
        Shape shape = header.single().shape();
        List<Long> dims = new ArrayList<>();
        for (long dim : shape.dims()) {
            dims.add(dim);
        }
        return new Metadata(name, shape.kind(), shape.elementType(), dims, List.of(), shape.dataBytes(),
            header.owner(), Instant.ofEpochMilli(header.createdMillis()), header.formatVersion(), layout,
            header.columnNames());
    }

    /**
     * The first dimension, R's {@code nrow} (or {@code length} for a vector or list).
     *
     * @return the row count of a matrix, the length of a vector, the size of a list
     */
    public long nrow() {
        return shape.getFirst();
    }

    /**
     * The second dimension, R's {@code ncol}.
     *
     * @return the column count of a matrix; 1 otherwise
     */
    public long ncol() {
        return kind == Kind.MATRIX ? shape.get(1) : 1;
    }

    /**
     * R's {@code length}: how many values (or list elements) the variable holds.
     *
     * @return the length of a vector, the element count of a matrix, the size of a list
     */
    public long length() {
        return kind == Kind.MATRIX ? shape.get(0) * shape.get(1) : shape.getFirst();
    }
}

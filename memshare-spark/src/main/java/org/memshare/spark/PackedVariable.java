package org.memshare.spark;

import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.memshare.format.ElementType;
import org.memshare.format.Kind;
import org.memshare.registry.Variable;

/**
 * A {@link Variable} as plain arrays, so that Java serialization can carry it from the driver to the
 * hosts (a {@link Variable} wraps memory segments, which do not serialize). Arrays up to 2 GB each.
 */
public final class PackedVariable implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * One array: its element type, its dimensions (one for a vector, two for a matrix), its bytes.
     *
     * @param type the element type
     * @param dims the dimensions: {@code [length]} or {@code [nrow, ncol]}
     * @param data the elements' bytes, in native order (column-major for a matrix)
     */
    private record Part(ElementType type, long[] dims, byte[] data) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /** Whether the variable is a list (then each part is one element). */
    private final boolean list;
    /** The arrays: one for a vector or matrix, one per element of a list. */
    private final List<Part> parts;

    private PackedVariable(boolean list, List<Part> parts) {
        this.list = list;
        this.parts = List.copyOf(parts);
    }

    static PackedVariable of(Variable variable) {
        return switch (variable) {
            case Variable.ListOf l -> new PackedVariable(true, l.elements().stream().map(PackedVariable::part).toList());
            default -> new PackedVariable(false, List.of(part(variable)));
        };
    }

    private static Part part(Variable variable) {
        return switch (variable) {
            case Variable.Vector v -> new Part(v.type(), new long[] {v.length()}, bytes(v.data()));
            case Variable.Matrix m -> new Part(m.type(), new long[] {m.nrow(), m.ncol()}, bytes(m.data()));
            case Variable.ListOf l -> throw new IllegalArgumentException("lists do not nest");
        };
    }

    private static byte[] bytes(MemorySegment data) {
        if (data.byteSize() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("driver data over 2 GB per array: bytes=" + data.byteSize()
                + " (load large matrices from a file every host can read)");
        }
        return data.toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * The kind of the packed variable.
     *
     * @return vector, matrix or list
     */
    public Kind kind() {
        return list ? Kind.LIST : parts.getFirst().dims().length == 1 ? Kind.VECTOR : Kind.MATRIX;
    }

    /** @return the element type of a vector or matrix; null for a list */
    ElementType elementType() {
        return list ? null : parts.getFirst().type();
    }

    /** @return rows of a matrix, length of a vector, elements of a list */
    long nrow() {
        return list ? parts.size() : parts.getFirst().dims()[0];
    }

    /** @return columns of a matrix, else 1 */
    long ncol() {
        return !list && parts.getFirst().dims().length == 2 ? parts.getFirst().dims()[1] : 1;
    }

    /** @return the variable again, over these arrays (not copied) */
    Variable unpack() {
        List<Variable> variables = new ArrayList<>(parts.size());
        for (Part part : parts) {
            MemorySegment data = MemorySegment.ofArray(part.data());
            variables.add(part.dims().length == 1
                ? new Variable.Vector(part.type(), data)
                : new Variable.Matrix(part.type(), part.dims()[0], part.dims()[1], data));
        }
        return list ? new Variable.ListOf(variables) : variables.getFirst();
    }

    @Override
    public String toString() {
        return "data(" + kind().label() + ", " + nrow() + "x" + ncol() + ")";
    }
}

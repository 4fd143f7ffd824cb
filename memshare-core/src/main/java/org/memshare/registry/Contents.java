package org.memshare.registry;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.function.Consumer;
import org.memshare.format.internal.ArrayPlacement;
import org.memshare.format.Kind;
import org.memshare.format.Shape;

/**
 * What a registration puts into shared memory: data already in memory, or one array a caller writes
 * in place. A {@link LayoutCodec} decides how the bytes get there (positional writes or a mapping).
 */
sealed interface Contents {

    /** @return the variable's kind */
    Kind kind();

    /** @return one shape per array (one, or a list's elements) */
    List<Shape> shapes();

    /**
     * Writes the arrays into a zero-filled, writable mapping of the new segment.
     *
     * @param target the whole segment
     * @param arrays where each array goes, in the order of {@link #shapes()}
     */
    void fill(MemorySegment target, List<ArrayPlacement> arrays);

    /** Data in memory, copied once. */
    record Copy(Variable variable) implements Contents {
        @Override
        public Kind kind() {
            return variable.kind();
        }

        @Override
        public List<Shape> shapes() {
            return variable.shapes();
        }

        /** @return the data of each array, in the order of {@link #shapes()} */
        List<MemorySegment> arrays() {
            return dataOf(variable);
        }

        @Override
        public void fill(MemorySegment target, List<ArrayPlacement> arrays) {
            List<MemorySegment> data = arrays();
            for (int i = 0; i < data.size(); i++) {
                MemorySegment.copy(data.get(i), 0, target, arrays.get(i).offset(), data.get(i).byteSize());
            }
        }

        private static List<MemorySegment> dataOf(Variable variable) {
            return switch (variable) {
                case Variable.Vector v -> List.of(v.data());
                case Variable.Matrix m -> List.of(m.data());
                case Variable.ListOf list -> list.elements().stream().flatMap(element -> dataOf(element).stream()).toList();
            };
        }
    }

    /** One array whose data the caller writes straight into the segment. */
    record InPlace(Shape shape, Consumer<MemorySegment> writer) implements Contents {
        @Override
        public Kind kind() {
            return shape.kind();
        }

        @Override
        public List<Shape> shapes() {
            return List.of(shape);
        }

        @Override
        public void fill(MemorySegment target, List<ArrayPlacement> arrays) {
            ArrayPlacement array = arrays.getFirst();
            writer.accept(target.asSlice(array.offset(), array.shape().dataBytes()));
        }
    }
}

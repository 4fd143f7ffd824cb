package org.memshare.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.List;
import java.util.function.Consumer;
import org.memshare.format.internal.ArrayPlacement;
import org.memshare.format.Kind;
import org.memshare.format.Shape;
import org.memshare.segment.internal.SegmentOutput;

/**
 * What a registration puts into shared memory: data already in memory, one array a caller writes
 * in place, or one array read from a channel. A {@link LayoutCodec} decides how the bytes get there
 * (positional writes for {@link Written} contents, else a mapping).
 */
sealed interface Contents {

    /** @return the variable's kind */
    Kind kind();

    /** @return one shape per array (one, or a list's elements) */
    List<Shape> shapes();

    /** @return a matrix's column names, kept by layouts that have a place for them; empty for none */
    List<String> columnNames();

    /**
     * Writes the arrays into a zero-filled, writable mapping of the new segment.
     *
     * @param target the whole segment
     * @param arrays where each array goes, in the order of {@link #shapes()}
     */
    void fill(MemorySegment target, List<ArrayPlacement> arrays);

    /** Contents that can go in with positional writes, no page zeroed and mapped only to be overwritten. */
    sealed interface Written extends Contents {
        /**
         * Writes the arrays with positional writes.
         *
         * @param output the new segment's writes
         * @param arrays where each array goes, in the order of {@link #shapes()}
         */
        void write(SegmentOutput output, List<ArrayPlacement> arrays);
    }

    /** Contents of one array. */
    sealed interface Single extends Contents {
        /** @return the array's shape */
        Shape shape();

        @Override
        default Kind kind() {
            return shape().kind();
        }

        @Override
        default List<Shape> shapes() {
            return List.of(shape());
        }
    }

    /** Data in memory, copied once. */
    record Copy(Variable variable) implements Written {
        @Override
        public Kind kind() {
            return variable.kind();
        }

        @Override
        public List<Shape> shapes() {
            return variable.shapes();
        }

        @Override
        public List<String> columnNames() {
            return variable instanceof Variable.Matrix matrix ? matrix.columnNames() : List.of();
        }

        @Override
        public void fill(MemorySegment target, List<ArrayPlacement> arrays) {
            List<MemorySegment> data = dataOf(variable);
            for (int i = 0; i < data.size(); i++) {
                MemorySegment.copy(data.get(i), 0, target, arrays.get(i).offset(), data.get(i).byteSize());
            }
        }

        @Override
        public void write(SegmentOutput output, List<ArrayPlacement> arrays) {
            List<MemorySegment> data = dataOf(variable);
            for (int i = 0; i < data.size(); i++) {
                output.write(arrays.get(i).offset(), data.get(i));
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
    record InPlace(Shape shape, List<String> columnNames, Consumer<MemorySegment> writer) implements Single {
        @Override
        public void fill(MemorySegment target, List<ArrayPlacement> arrays) {
            ArrayPlacement array = arrays.getFirst();
            writer.accept(target.asSlice(array.offset(), array.shape().dataBytes()));
        }
    }

    /**
     * One array read from a channel, streaming: the data passes through one direct buffer of a few
     * MiB, so the heap never holds it and each byte is written once.
     *
     * @param name the variable, for messages
     * @param source read from its current position, exactly {@link Shape#dataBytes()} bytes; not closed
     */
    record Streamed(QualifiedName name, Shape shape, ReadableByteChannel source) implements Single, Written {
        /** Data registered from a channel passes through one direct buffer of this size, not the heap. */
        private static final int STREAM_BUFFER_BYTES = 4 << 20;

        @Override
        public List<String> columnNames() {
            return List.of();
        }

        @Override
        public void fill(MemorySegment target, List<ArrayPlacement> arrays) {
            stream(arrays.getFirst(), (offset, chunk) -> MemorySegment.copy(chunk, 0, target, offset, chunk.byteSize()));
        }

        @Override
        public void write(SegmentOutput output, List<ArrayPlacement> arrays) {
            stream(arrays.getFirst(), output::write);
        }

        /** Where a chunk read from the source goes. */
        private interface ChunkSink {
            void accept(long offset, MemorySegment chunk);
        }

        private void stream(ArrayPlacement array, ChunkSink sink) {
            long bytes = array.shape().dataBytes();
            ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(STREAM_BUFFER_BYTES, Math.max(1, bytes)));
            try {
                for (long done = 0; done < bytes; ) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), bytes - done));
                    while (buffer.hasRemaining()) {
                        if (source.read(buffer) < 0) {
                            throw new IllegalArgumentException("source ended early: variable=" + name
                                + ", expected=" + bytes + ", read=" + (done + buffer.position()));
                        }
                    }
                    sink.accept(array.offset() + done, MemorySegment.ofBuffer(buffer.flip()));
                    done += buffer.limit();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the data of variable=" + name, e);
            }
        }
    }
}

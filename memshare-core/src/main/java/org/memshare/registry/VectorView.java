package org.memshare.registry;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.Objects;
import org.memshare.format.ElementType;

/**
 * A zero-copy view of a vector: a registered vector, a column of a matrix (contiguous), a row of a
 * matrix (strided), or a list element. Values of every element type read as {@code double}.
 *
 * {@snippet :
 * try (VectorView y = (VectorView) memShare.retrieveView("ns", "y")) {
 *     double first = y.get(0);
 *     double[] copy = y.toDoubleArray();
 * }
 * }
 */
public final class VectorView extends HandleView implements View {
    private final MemorySegment segment;
    private final long offset;
    private final long strideBytes;
    private final long length;
    private final ElementType type;

    VectorView(ViewHandle handle, ElementType type, long offset, long strideBytes, long length, boolean derived) {
        super(handle, derived);
        this.segment = handle.segment();
        this.type = type;
        this.offset = offset;
        this.strideBytes = strideBytes;
        this.length = length;
    }

    /**
     * The vector's length.
     *
     * @return the number of elements
     */
    public long length() {
        return length;
    }

    /**
     * The type the elements are stored as; {@link #get(long)} converts each to {@code double}.
     *
     * @return the element type
     */
    public ElementType elementType() {
        return type;
    }

    /**
     * Whether the elements are adjacent in memory, as {@link #segment()} and
     * {@link #asDoubleBuffer()} need.
     *
     * @return whether the elements are adjacent in memory (false for a matrix row of more than one column)
     */
    public boolean isContiguous() {
        return strideBytes == type.byteSize() || length <= 1;
    }

    /**
     * Reads one element, converted to {@code double}.
     *
     * @param i index, {@code 0 <= i < length()}
     * @return element {@code i} as a double
     * @throws IndexOutOfBoundsException for a bad index
     * @throws ViewReleasedException after release
     * @throws org.memshare.format.SegmentFormatException when another process truncated the file under the view
     */
    public double get(long i) {
        handle.checkNotReleased();
        Objects.checkIndex(i, length);
        long position = offset + i * strideBytes;
        try {
            double value = read(position);
            FaultFence.poll(position);
            return value;
        } catch (IllegalStateException e) {
            throw handle.translate(e);
        } catch (InternalError e) {
            throw handle.fault(e);
        }
    }

    private double read(long position) {
        return switch (type) {
            case DOUBLE -> segment.get(ValueLayout.JAVA_DOUBLE, position);
            case FLOAT -> segment.get(ValueLayout.JAVA_FLOAT, position);
            case LONG -> segment.get(ValueLayout.JAVA_LONG, position);
            case INT -> segment.get(ValueLayout.JAVA_INT, position);
            case BYTE -> segment.get(ValueLayout.JAVA_BYTE, position);
        };
    }

    /**
     * Reads one element, converted to {@code long}; a floating-point value is truncated as a cast does.
     *
     * @param i index, {@code 0 <= i < length()}
     * @return element {@code i} as a long, exact for integer types
     * @throws IndexOutOfBoundsException for a bad index
     * @throws ViewReleasedException after release
     * @throws org.memshare.format.SegmentFormatException when another process truncated the file under the view
     */
    public long getLong(long i) {
        handle.checkNotReleased();
        Objects.checkIndex(i, length);
        long position = offset + i * strideBytes;
        try {
            long value = switch (type) {
                case DOUBLE -> (long) segment.get(ValueLayout.JAVA_DOUBLE, position);
                case FLOAT -> (long) segment.get(ValueLayout.JAVA_FLOAT, position);
                case LONG -> segment.get(ValueLayout.JAVA_LONG, position);
                case INT -> segment.get(ValueLayout.JAVA_INT, position);
                case BYTE -> segment.get(ValueLayout.JAVA_BYTE, position);
            };
            FaultFence.poll(position);
            return value;
        } catch (IllegalStateException e) {
            throw handle.translate(e);
        } catch (InternalError e) {
            throw handle.fault(e);
        }
    }

    /**
     * Writes element {@code i}, converting from double as a cast does; visible at once to every process.
     *
     * @param i index, {@code 0 <= i < length()}
     * @param value the value to store
     * @throws IndexOutOfBoundsException for a bad index
     * @throws IllegalStateException when the view is read-only
     * @throws ViewReleasedException after release
     * @throws org.memshare.format.SegmentFormatException when another process truncated the file under the view
     */
    public void set(long i, double value) {
        handle.checkWritable();
        Objects.checkIndex(i, length);
        long position = offset + i * strideBytes;
        try {
            switch (type) {
                case DOUBLE -> segment.set(ValueLayout.JAVA_DOUBLE, position, value);
                case FLOAT -> segment.set(ValueLayout.JAVA_FLOAT, position, (float) value);
                case LONG -> segment.set(ValueLayout.JAVA_LONG, position, (long) value);
                case INT -> segment.set(ValueLayout.JAVA_INT, position, (int) value);
                case BYTE -> segment.set(ValueLayout.JAVA_BYTE, position, (byte) value);
            }
            FaultFence.poll(position);
        } catch (IllegalStateException e) {
            throw handle.translate(e);
        } catch (InternalError e) {
            throw handle.fault(e);
        }
    }

    /**
     * Adds the elements up in index order, each converted to {@code double}.
     *
     * @return the sum of the elements (0 for an empty vector)
     * @throws ViewReleasedException after release
     * @throws org.memshare.format.SegmentFormatException when another process truncated the file under the view
     */
    public double sum() {
        handle.checkNotReleased();
        // No fence per element: a fault in this loop is reported at its own back-edge poll, inside the handler.
        try {
            double sum = 0;
            for (long i = 0; i < length; i++) {
                sum += read(offset + i * strideBytes);
            }
            return sum;
        } catch (IllegalStateException e) {
            throw handle.translate(e);
        } catch (InternalError e) {
            throw handle.fault(e);
        }
    }

    /**
     * Copies the vector to the heap, converting every element to {@code double}.
     *
     * @return a copy of the elements as doubles
     * @throws IllegalStateException when the vector is longer than a Java array holds
     * @throws ViewReleasedException after release
     */
    public double[] toDoubleArray() {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("vector too long for a Java array: length=" + length + ", variable=" + name());
        }
        double[] out = new double[(int) length];
        copyTo(out, 0, 0, (int) length);
        return out;
    }

    /**
     * Copies {@code count} elements starting at {@code from} into {@code target}, converted to
     * {@code double}; a contiguous double vector is copied in bulk.
     *
     * @param target the array to fill
     * @param targetOffset the first index of {@code target} written
     * @param from the first element copied
     * @param count how many elements to copy
     * @throws IndexOutOfBoundsException when either range is out of bounds
     * @throws ViewReleasedException after release
     */
    public void copyTo(double[] target, int targetOffset, long from, int count) {
        Objects.checkFromIndexSize(from, count, length);
        Objects.checkFromIndexSize(targetOffset, count, target.length);
        handle.checkNotReleased();
        try {
            if (type == ElementType.DOUBLE && isContiguous()) {
                MemorySegment.copy(segment, ValueLayout.JAVA_DOUBLE, offset + from * strideBytes, target, targetOffset, count);
                // A fault inside the bulk copy is delivered at the next safepoint poll, which without
                // this real call could be the caller's, outside the handler below.
                FaultFence.poll(count);
                return;
            }
            for (int k = 0; k < count; k++) {
                target[targetOffset + k] = read(offset + (from + k) * strideBytes);
            }
        } catch (IllegalStateException e) {
            throw handle.translate(e);
        } catch (InternalError e) {
            throw handle.fault(e);
        }
    }

    /**
     * The elements as a memory segment, zero-copy (read-only for a read-only view). The segment
     * lives as long as the view: after release its accesses throw {@link IllegalStateException}.
     * Accesses through it bypass this view: if another process truncates the file, they fail with the
     * JVM's {@link InternalError} (SIGBUS), possibly later than the faulting access; the view's own
     * accessors report a {@link org.memshare.format.SegmentFormatException} instead.
     *
     * @return the elements' memory, {@code length() × elementType().byteSize()} bytes
     * @throws IllegalStateException for a strided (row) view, which is not one contiguous range
     */
    public MemorySegment segment() {
        if (!isContiguous()) {
            throw new IllegalStateException("a strided view has no contiguous segment: variable=" + name()
                + ", strideBytes=" + strideBytes);
        }
        return handle.exposedSegment().asSlice(offset, length * type.byteSize());
    }

    /**
     * A {@link DoubleBuffer} over a contiguous double vector, zero-copy; like {@link #segment()} it
     * bypasses the view's report of a truncated file.
     *
     * @return a buffer over the elements, in native byte order, read-only for a read-only view
     * @throws IllegalStateException for other element types or a strided view
     */
    public DoubleBuffer asDoubleBuffer() {
        if (type != ElementType.DOUBLE) {
            throw new IllegalStateException("not a double vector: elementType=" + type.label() + ", variable=" + name());
        }
        return segment().asByteBuffer().order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }


    @Override
    public String toString() {
        return "VectorView[variable=" + name() + ", length=" + length + ", elementType=" + type.label()
            + (isReleased() ? ", released" : "") + "]";
    }
}

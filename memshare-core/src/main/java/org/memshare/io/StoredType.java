package org.memshare.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.memshare.format.ElementType;

/**
 * How a binary file stores one number (little-endian), and the element type it becomes in shared
 * memory: the same type where memshare has it, {@code uint8} widened to {@code int}.
 */
enum StoredType {
    /** IEEE 754 binary64. */
    F64(8, ElementType.DOUBLE),
    /** IEEE 754 binary32. */
    F32(4, ElementType.FLOAT),
    /** Two's complement 64-bit. */
    I64(8, ElementType.LONG),
    /** Two's complement 32-bit. */
    I32(4, ElementType.INT),
    /** Two's complement 8-bit. */
    I8(1, ElementType.BYTE),
    /** Unsigned 8-bit: memshare has no unsigned byte, so it becomes an int. */
    U8(1, ElementType.INT);

    private static final ValueLayout.OfDouble LE_F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat LE_F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE_I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final int byteSize;
    private final ElementType natural;

    StoredType(int byteSize, ElementType natural) {
        this.byteSize = byteSize;
        this.natural = natural;
    }

    int byteSize() {
        return byteSize;
    }

    /** @return the element type this becomes in shared memory */
    ElementType natural() {
        return natural;
    }

    /** @return whether the stored bytes are already the element type's (so a bulk copy will do) */
    boolean sameBytesAs(ElementType type) {
        return type == natural && this != U8 && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    }

    private double asDouble(MemorySegment source, long offset) {
        return switch (this) {
            case F64 -> source.get(LE_F64, offset);
            case F32 -> source.get(LE_F32, offset);
            case I64 -> source.get(LE_I64, offset);
            case I32 -> source.get(LE_I32, offset);
            case I8 -> source.get(ValueLayout.JAVA_BYTE, offset);
            case U8 -> source.get(ValueLayout.JAVA_BYTE, offset) & 0xff;
        };
    }

    private long asLong(MemorySegment source, long offset) {
        return switch (this) {
            case F64, F32 -> (long) asDouble(source, offset);
            case I64 -> source.get(LE_I64, offset);
            case I32 -> source.get(LE_I32, offset);
            case I8 -> source.get(ValueLayout.JAVA_BYTE, offset);
            case U8 -> source.get(ValueLayout.JAVA_BYTE, offset) & 0xff;
        };
    }

    /**
     * Converts {@code count} values, {@code sourceStride} bytes apart, into consecutive elements of
     * {@code type} in {@code target}.
     */
    void convert(MemorySegment source, long sourceOffset, long sourceStride, MemorySegment target, long targetIndex,
                 ElementType type, long count) {
        long at = sourceOffset;
        for (long i = 0; i < count; i++, at += sourceStride) {
            long index = targetIndex + i;
            switch (type) {
                case DOUBLE -> target.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, index, asDouble(source, at));
                case FLOAT -> target.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, index, (float) asDouble(source, at));
                case LONG -> target.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, index, asLong(source, at));
                case INT -> target.setAtIndex(ValueLayout.JAVA_INT_UNALIGNED, index, (int) asLong(source, at));
                case BYTE -> target.set(ValueLayout.JAVA_BYTE, index, (byte) asLong(source, at));
            }
        }
    }
}

package org.memshare.format.internal;

import java.util.List;
import org.memshare.segment.ProcessIdentity;
import org.memshare.format.Kind;

/**
 * The decoded, validated header of a memshare segment. Immutable.
 *
 * @param formatVersion the format version the segment was written with
 * @param kind what the segment holds
 * @param arrays one placement for a vector, matrix or raw segment; one per element for a list
 * @param totalBytes header, directory and data: the bytes the segment must have at least
 * @param owner the registering process
 * @param createdMillis creation time, milliseconds since the epoch
 * @param columnNames a matrix's column names, one per column; empty when it has none (or when only
 *     the header was read)
 */
public record SegmentHeader(int formatVersion, Kind kind, List<ArrayPlacement> arrays, long totalBytes,
                            ProcessIdentity owner, long createdMillis, List<String> columnNames) {

    /** Copies the lists, so the record stays immutable. */
    public SegmentHeader {
        arrays = List.copyOf(arrays);
        columnNames = List.copyOf(columnNames);
    }

    /**
     * A header without column names.
     *
     * @param formatVersion the format version the segment was written with
     * @param kind what the segment holds
     * @param arrays one placement for a vector, matrix or raw segment; one per element for a list
     * @param totalBytes header, directory and data: the bytes the segment must have at least
     * @param owner the registering process
     * @param createdMillis creation time, milliseconds since the epoch
     */
    public SegmentHeader(int formatVersion, Kind kind, List<ArrayPlacement> arrays, long totalBytes,
                         ProcessIdentity owner, long createdMillis) {
        this(formatVersion, kind, arrays, totalBytes, owner, createdMillis, List.of());
    }

    /** @return the single array of a vector, matrix or raw segment */
    public ArrayPlacement single() {
        if (kind == Kind.LIST) {
            throw new IllegalStateException("a list has no single array: size=" + arrays.size());
        }
        return arrays.getFirst();
    }

    /** @return the bytes of data (without header and directory) */
    public long dataBytes() {
        long sum = 0;
        for (ArrayPlacement array : arrays) {
            sum += array.shape().dataBytes();
        }
        return sum;
    }
}

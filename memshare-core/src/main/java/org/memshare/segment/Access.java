package org.memshare.segment;

/** How a segment is mapped into this process. */
public enum Access {
    /** Writes through the mapping are refused by the JVM ({@code MemorySegment.isReadOnly()}). */
    READ_ONLY,
    /** The mapping may be written; writes are seen by every process mapping the same segment. */
    READ_WRITE
}

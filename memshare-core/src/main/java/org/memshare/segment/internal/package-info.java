/**
 * Named shared-memory segments, created exclusively with owner-only permissions and reserved space,
 * written with positional writes or mapped through {@code java.lang.foreign}. Two stores hold them
 * ({@link org.memshare.segment.internal.PosixSegmentStore}: POSIX shared memory in {@code /dev/shm}
 * on Linux; {@link org.memshare.segment.internal.FileSegmentStore}: JDK APIs alone, any directory,
 * any system), and {@link org.memshare.segment.internal.OperatingSystem} holds what differs between
 * systems. Knows bytes and names only. Not exported: users reach segments through the registry.
 */
package org.memshare.segment.internal;

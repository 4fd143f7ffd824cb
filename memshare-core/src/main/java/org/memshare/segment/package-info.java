/**
 * The operating-system layer: named shared-memory segments, created exclusively with owner-only
 * permissions and reserved space, mapped through {@code java.lang.foreign}. Two stores hold them
 * ({@link org.memshare.segment.PosixSegmentStore}: POSIX shared memory in {@code /dev/shm} on Linux;
 * {@link org.memshare.segment.FileSegmentStore}: JDK APIs alone, any directory, any system), and
 * {@link org.memshare.segment.OperatingSystem} holds what differs between systems. Knows bytes and
 * names only; imports no other memshare package.
 */
package org.memshare.segment;

/**
 * Named shared-memory segments (POSIX shared memory, {@code /dev/shm} on Linux), created exclusively
 * with owner-only permissions and reserved space, written with {@code pwrite} or mapped through
 * {@code java.lang.foreign}. Knows bytes and names only. Not exported: users reach segments through
 * the registry.
 */
package org.memshare.segment.internal;

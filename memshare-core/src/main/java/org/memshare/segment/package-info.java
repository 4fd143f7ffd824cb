/**
 * The operating-system layer: named shared-memory segments (POSIX shared memory, {@code /dev/shm} on
 * Linux), created exclusively with owner-only permissions and reserved space, mapped through
 * {@code java.lang.foreign}. Knows bytes and names only; imports no other memshare package.
 */
package org.memshare.segment;

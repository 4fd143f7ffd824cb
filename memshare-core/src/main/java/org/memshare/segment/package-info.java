/**
 * The operating-system layer, as users see it: how a segment is mapped
 * ({@link org.memshare.segment.Access}), who registered it ({@link org.memshare.segment.ProcessIdentity}),
 * which store keeps them ({@link org.memshare.segment.StoreKind}), where segments live
 * ({@link org.memshare.segment.SegmentDirectory}), what a file in the segment
 * directory is ({@link org.memshare.segment.FileStatus}) and the failures a user meets: a full
 * shared-memory file system ({@link org.memshare.segment.OutOfSharedMemoryException}), a file refused
 * by the trust check ({@link org.memshare.segment.UntrustedSegmentException}), a bad name
 * ({@link org.memshare.segment.InvalidNameException}). The system calls and mappings are
 * in the non-exported {@code org.memshare.segment.internal}. Imports no other memshare package.
 */
package org.memshare.segment;

/**
 * The operating-system layer, as users see it: how a segment is mapped
 * ({@link org.memshare.segment.Access}), who registered it ({@link org.memshare.segment.ProcessIdentity}),
 * where segments live ({@link org.memshare.segment.SegmentDirectory}) and a full shared-memory file
 * system ({@link org.memshare.segment.OutOfSharedMemoryException}). The system calls and mappings are
 * in the non-exported {@code org.memshare.segment.internal}. Imports no other memshare package.
 */
package org.memshare.segment;

/**
 * The byte layout of memshare's segments, described once: the header and list directory
 * ({@link org.memshare.format.SegmentLayout}), the codes it stores ({@link org.memshare.format.Kind},
 * {@link org.memshare.format.ElementType}) and their validation. {@code docs/FORMAT.md} is derived
 * from this package. Depends only on {@code org.memshare.segment}.
 */
package org.memshare.format;

/**
 * What a variable is, in the terms of its stored form: kinds ({@link org.memshare.format.Kind}),
 * element types ({@link org.memshare.format.ElementType}), shapes ({@link org.memshare.format.Shape})
 * and the exception for a malformed segment ({@link org.memshare.format.SegmentFormatException}). The
 * byte layouts themselves (memshare's header and list directory, R memshare's two objects) are
 * described once each in the non-exported {@code org.memshare.format.internal}; {@code docs/FORMAT.md}
 * restates them. Depends only on {@code org.memshare.segment}.
 */
package org.memshare.format;

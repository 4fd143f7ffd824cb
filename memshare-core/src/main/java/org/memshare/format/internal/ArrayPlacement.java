package org.memshare.format.internal;

import org.memshare.format.Shape;

/**
 * Where one array's data lies in a segment.
 *
 * @param shape kind, element type and dimensions
 * @param offset byte offset of the first element from the start of the segment, a multiple of 64
 */
public record ArrayPlacement(Shape shape, long offset) {
}

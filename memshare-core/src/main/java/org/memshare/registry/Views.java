package org.memshare.registry;

import org.memshare.format.internal.ArrayPlacement;
import org.memshare.format.Kind;
import org.memshare.format.internal.SegmentHeader;
import org.memshare.format.Shape;

/** Builds the view that fits a segment's kind. */
final class Views {
    private Views() {
    }

    /** @return the view of the whole segment the handle maps, as its header describes it */
    static View of(ViewHandle handle) {
        SegmentHeader header = handle.mapping().header();
        if (header.kind() == Kind.LIST) {
            return new ListView(handle, header.arrays());
        }
        return of(handle, header.single(), false);
    }

    static View of(ViewHandle handle, ArrayPlacement array, boolean derived) {
        Shape shape = array.shape();
        if (shape.kind() == Kind.MATRIX) {
            return new MatrixView(handle, shape.elementType(), array.offset(), shape.rows(), shape.cols(), derived);
        }
        return new VectorView(handle, shape.elementType(), array.offset(), shape.elementType().byteSize(),
            shape.rows(), derived);
    }
}

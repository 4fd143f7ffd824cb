package org.memshare.io;

import java.util.List;

/**
 * A discrete column as class codes.
 *
 * @param codes one class code per row, NaN where missing
 * @param labels the text label of each code, in code order, when the column held text; else empty
 */
public record ClassColumn(double[] codes, List<String> labels) {
    /** Copies the labels, so the record stays immutable. */
    public ClassColumn {
        labels = List.copyOf(labels);
    }
}

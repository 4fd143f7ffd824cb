package org.memshare.apply;

import java.util.Locale;

/** Which slices of a matrix {@link Apply#memApply(Object)} iterates, as R's {@code MARGIN}. */
public enum Margin {
    /** Every row, as a strided zero-copy view (R's {@code MARGIN = 1}). */
    ROWS,
    /** Every column, as a contiguous zero-copy view (R's {@code MARGIN = 2}). */
    COLUMNS;

    /**
     * R's numeric margin.
     *
     * @param margin 1 for rows, 2 for columns
     * @return the margin
     * @throws IllegalArgumentException for any other value
     */
    public static Margin of(int margin) {
        return switch (margin) {
            case 1 -> ROWS;
            case 2 -> COLUMNS;
            default -> throw new IllegalArgumentException("margin must be 1 (rows) or 2 (columns): margin=" + margin);
        };
    }

    /**
     * The margin's name for messages and JSON: {@code rows} or {@code columns}.
     *
     * @return the lower-case label used in messages
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package org.memshare.stats;

import java.util.Arrays;

/**
 * The classes of a discrete variable: its sorted distinct values (−0.0 and 0.0 count as one, as in
 * R's unique). A value is assigned to a class through R's class edges, the midpoints between
 * neighbouring distinct values, a value on an edge going to the upper class.
 */
final class DiscreteClasses {

    private final double[] values;
    private final double[] upperEdges;

    private DiscreteClasses(double[] values) {
        this.values = values;
        upperEdges = new double[values.length - 1];
        for (int c = 0; c + 1 < values.length; c++) {
            upperEdges[c] = (values[c] + values[c + 1]) / 2.0;
        }
    }

    /** Classes of finite values; {@code values} is not modified. */
    static DiscreteClasses of(double[] values) {
        return new DiscreteClasses(distinctSorted(values));
    }

    static double[] distinctSorted(double[] values) {
        double[] sorted = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            sorted[i] = values[i] + 0.0; // turns −0.0 into 0.0
        }
        Arrays.sort(sorted);
        return distinctOfSorted(sorted);
    }

    static double[] distinctOfSorted(double[] sorted) {
        if (sorted.length == 0) {
            return sorted;
        }
        int distinct = 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] != sorted[distinct - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, distinct);
    }

    static int countDistinctOfSorted(double[] sorted) {
        int distinct = sorted.length == 0 ? 0 : 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] != sorted[i - 1]) {
                distinct++;
            }
        }
        return distinct;
    }

    /**
     * min(number of distinct values, cap) without sorting (−0.0 and 0.0 count as one): an
     * open-addressing set that stops as soon as cap values are found.
     */
    static int countDistinctUpTo(double[] values, int cap) {
        int capacity = Integer.highestOneBit(Math.max(2, cap) * 4 - 1);
        long[] slots = new long[capacity];
        boolean[] used = new boolean[capacity];
        int mask = capacity - 1;
        int distinct = 0;
        for (double value : values) {
            long bits = Double.doubleToLongBits(value + 0.0); // turns −0.0 into 0.0
            int slot = (int) ((bits * 0x9E3779B97F4A7C15L) >>> 40) & mask;
            while (used[slot] && slots[slot] != bits) {
                slot = (slot + 1) & mask;
            }
            if (!used[slot]) {
                used[slot] = true;
                slots[slot] = bits;
                if (++distinct >= cap) {
                    return cap;
                }
            }
        }
        return distinct;
    }

    int count() {
        return values.length;
    }

    /** Index of a value that is one of the classes (exact match, no edges involved). */
    int indexOf(double value) {
        return Arrays.binarySearch(values, value + 0.0);
    }

    /** Number of edges ≤ value (findInterval over −∞, edges, +∞). */
    int classOf(double value) {
        int lo = 0;
        int hi = upperEdges.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (upperEdges[mid] <= value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}

package org.memshare.stats;

import java.util.Arrays;

/**
 * Per-thread scratch arrays of the estimator, so a column-by-column feature ranking allocates the
 * 2 MB grids once per thread rather than once per pair. Never shared between threads.
 */
final class Workspace {

    private static final ThreadLocal<Workspace> PER_THREAD = ThreadLocal.withInitial(Workspace::new);

    private double[] first = new double[0];
    private double[] second = new double[0];
    private double[] distances = new double[0];
    private int[] cells = new int[0];
    private double[] sorted = new double[0];
    private double[] pairSample = new double[0];
    private DiscreteVariable discrete;

    private Workspace() {
    }

    static Workspace current() {
        return PER_THREAD.get();
    }

    /** A zero-filled array of at least the given length (reused, so only the prefix is cleared). */
    double[] first(int length) {
        if (first.length < length) {
            first = new double[length];
        } else {
            Arrays.fill(first, 0, length, 0.0);
        }
        return first;
    }

    /** An array for collected pairwise distances, of at least the given length; contents unspecified. */
    double[] distances(int length) {
        if (distances.length < length) {
            distances = new double[length];
        }
        return distances;
    }

    /** An int array of at least the given length (a cell index per observation); contents unspecified. */
    int[] cells(int length) {
        if (cells.length < length) {
            cells = new int[length];
        }
        return cells;
    }

    /**
     * The prepared form of a discrete variable, reused while the same values come again (a feature
     * ranking passes its target with every feature); comparing costs one pass, preparing a sort.
     */
    DiscreteVariable discrete(double[] values) {
        if (discrete == null || !discrete.isOf(values)) {
            discrete = DiscreteVariable.of(values);
        }
        return discrete;
    }

    /**
     * A sorted copy of {@code values}, in an array of exactly their length that is reused while the
     * length stays the same (a ranking sorts every feature column; a fresh copy each time is garbage
     * that, with several threads allocating, reaches the old generation). Valid until the next call.
     */
    double[] sortedCopy(double[] values) {
        if (sorted.length != values.length) {
            sorted = new double[values.length];
        }
        System.arraycopy(values, 0, sorted, 0, values.length);
        Arrays.sort(sorted);
        return sorted;
    }

    /** An array of exactly the given length for a sample of pairwise distances; contents unspecified. */
    double[] pairSample(int length) {
        if (pairSample.length != length) {
            pairSample = new double[length];
        }
        return pairSample;
    }

    /** A second array of at least the given length; its contents are unspecified. */
    double[] second(int length) {
        if (second.length < length) {
            second = new double[length];
        }
        return second;
    }
}

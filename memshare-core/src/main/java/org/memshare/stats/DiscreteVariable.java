package org.memshare.stats;

import java.util.Arrays;

/**
 * A discrete variable prepared for the mixed estimator: its classes, the class of every observation
 * and the class sizes. All of it depends on the variable alone, so a ranking that scores many
 * features against one target prepares it once per thread ({@link Workspace#discrete}), not once per
 * feature.
 */
final class DiscreteVariable {

    private final double[] values;
    private final int[] classOfObservation;
    private final int[] classSizes;

    private DiscreteVariable(double[] values) {
        this.values = values.clone();
        DiscreteClasses classes = DiscreteClasses.of(values);
        classOfObservation = new int[values.length];
        classSizes = new int[classes.count()];
        for (int p = 0; p < values.length; p++) {
            int c = classes.classOf(values[p]);
            classOfObservation[p] = c;
            classSizes[c]++;
        }
    }

    static DiscreteVariable of(double[] values) {
        return new DiscreteVariable(values);
    }

    /** Whether this was prepared from exactly these values (bit for bit, in this order). */
    boolean isOf(double[] candidate) {
        return Arrays.equals(values, candidate);
    }

    int classCount() {
        return classSizes.length;
    }

    /** The class of observation p, as R's findInterval over the class edges assigns it. */
    int classOf(int p) {
        return classOfObservation[p];
    }

    int classSize(int c) {
        return classSizes[c];
    }
}

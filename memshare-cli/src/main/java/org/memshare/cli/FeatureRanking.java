package org.memshare.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.memshare.apply.Apply;
import org.memshare.apply.Cluster;
import org.memshare.apply.MarginFunction;
import org.memshare.apply.ProgressListener;
import org.memshare.registry.VectorView;
import org.memshare.stats.MutualInformation;

/**
 * memshare's showcase job: the mutual information of every column of a shared matrix with a target,
 * computed on a cluster; only the matrix's name and the function travel to the workers.
 */
public final class FeatureRanking {
    private FeatureRanking() {
    }

    /**
     * One feature's score.
     *
     * @param name the column name
     * @param mi mutual information with the target, in nats
     */
    public record Score(String name, double mi) {
    }

    /**
     * Scores every column of a registered matrix against {@code target}: one {@code memApply} over the
     * columns, with the target shipped as data registered for the call.
     *
     * @param cluster the cluster that computes the scores
     * @param namespace the namespace of {@code matrix}
     * @param matrix the name of the registered feature matrix, one feature per column
     * @param names the column names, in column order
     * @param discreteFeatures whether the columns are discrete
     * @param target the target value of each row
     * @param discreteTarget whether the target is discrete (class labels)
     * @param progress told {@code offset + done} of {@code total} as columns complete
     * @param offset added to the progress counts (for several calls under one bar)
     * @param total the progress total to report
     * @return the scores in column order
     * @throws org.memshare.registry.UnknownVariableException when {@code matrix} is not registered
     * @throws org.memshare.apply.ApplyException when the estimate fails for a column, naming it
     */
    public static List<Score> score(Cluster cluster, String namespace, String matrix, List<String> names,
                             boolean discreteFeatures, double[] target, boolean discreteTarget,
                             ProgressListener progress, long offset, long total) {
        List<Double> values = Apply.memApply(matrix).namespace(namespace).columns().cluster(cluster)
            .var("target", target)
            .progress((done, all) -> progress.progress(offset + done, total))
            .run(mutualInformation(discreteFeatures, discreteTarget));
        return scores(names, values);
    }

    /**
     * The function every engine runs on each feature column: its mutual information with the
     * variable {@code target}. One function, so that every engine computes the same values.
     *
     * @param discreteFeatures whether the columns are discrete
     * @param discreteTarget whether the target is discrete
     * @return the function, serializable
     */
    public static MarginFunction<Double> mutualInformation(boolean discreteFeatures, boolean discreteTarget) {
        return (column, vars) -> {
            Copies copies = COPIES.get();
            return MutualInformation.mutualinfo(copies.column(column), copies.target(vars.vector("target")),
                discreteFeatures, discreteTarget, MutualInformation.DEFAULT_EPS, true);
        };
    }

    private static final ThreadLocal<Copies> COPIES = ThreadLocal.withInitial(Copies::new);

    /**
     * One thread's heap copies of the column and the target: the estimator takes arrays, and copying
     * into the same ones spares a fresh array per column and a fresh copy of the target per column,
     * garbage that, with several threads allocating, reaches the old generation and makes a worker's
     * heap grow (about 12 MB at the demo's size). The estimator only reads its arguments.
     */
    private static final class Copies {
        private double[] column = new double[0];
        private double[] target = new double[0];
        /** The view {@link #target} was copied from: the same object for every column of one call. */
        private VectorView targetOf;

        double[] column(VectorView view) {
            column = copy(view, column);
            return column;
        }

        double[] target(VectorView view) {
            if (view != targetOf) {
                target = copy(view, target);
                targetOf = view;
            }
            return target;
        }

        private static double[] copy(VectorView view, double[] into) {
            int length = Math.toIntExact(view.length());
            double[] array = into.length == length ? into : new double[length];
            view.copyTo(array, 0, 0, length);
            return array;
        }
    }

    /**
     * Pairs each column's name with its mutual information.
     *
     * @param names the column names, in column order
     * @param values the mutual information of each column, in the same order
     * @return the scores in column order
     */
    public static List<Score> scores(List<String> names, List<Double> values) {
        List<Score> scores = new ArrayList<>(values.size());
        for (int j = 0; j < values.size(); j++) {
            scores.add(new Score(names.get(j), values.get(j)));
        }
        return scores;
    }

    /**
     * Orders scores for display, best first.
     *
     * @param scores scores in any order; not modified
     * @return a new list, sorted by decreasing mutual information (ties by name)
     */
    public static List<Score> ranked(List<Score> scores) {
        List<Score> sorted = new ArrayList<>(scores);
        sorted.sort(Comparator.comparingDouble(Score::mi).reversed().thenComparing(Score::name));
        return sorted;
    }
}

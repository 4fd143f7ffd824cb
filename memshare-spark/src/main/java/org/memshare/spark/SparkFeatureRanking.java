package org.memshare.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkContext;
import org.memshare.apply.ProgressListener;
import org.memshare.cli.FeatureRanking;
import org.memshare.cli.RankingEngine;
import org.memshare.io.ReadOptions;

/**
 * The feature ranking on Spark ({@code memshare select --spark MASTER}): the feature columns are
 * loaded once per host into shared memory, the target travels as driver data (also once per host), and
 * each task scores a range of columns with the same function as the local run, so the values agree.
 *
 * {@snippet :
 * try (SparkShare share = SparkShare.open(sc)) {
 *     List<Double> mi = SparkFeatureRanking.score(share, "/data/x.msm", ReadOptions.defaults(), new int[] {0, 1, 2}, new int[0],
 *         target, false, (done, total) -> { });
 * }
 * }
 */
public final class SparkFeatureRanking implements RankingEngine {

    /** Found by {@code memshare select} through {@link java.util.ServiceLoader}. */
    public SparkFeatureRanking() {
    }

    @Override
    public String name() {
        return "spark";
    }

    /**
     * Starts an application on the job's master, ranks, stops the application.
     *
     * @param job what to rank
     * @param progress told the features done so far
     * @return the values of the continuous columns, then of the discrete ones
     */
    @Override
    public List<Double> score(Job job, ProgressListener progress) {
        long start = System.nanoTime();
        SparkSetup.commandLineLogging();
        SparkContext sc = new SparkContext(SparkSetup.conf(job.master(), "memshare select"));
        try (SparkShare share = SparkShare.open(sc)) {
            job.note().note("Spark application %s on %s started in %.1f s; each host loads %s once into shared memory"
                + " (namespace %s)%n", sc.applicationId(), job.master(), (System.nanoTime() - start) / 1e9, job.input(),
                share.namespace());
            if (job.rLayout()) {
                share.publishInRLayout();
                job.note().note("each host also publishes X, XD and target in R memshare's layout (R namespace %s)%n",
                    share.rNamespace());
            }
            return score(share, job.input().toAbsolutePath().toString(), job.readOptions(), job.continuous(),
                job.discrete(), job.target(), job.discreteTarget(), progress);
        } finally {
            sc.stop();
        }
    }

    /**
     * Scores the chosen columns of a matrix file against a target, on the share's application.
     *
     * @param share the share the columns are loaded into (as {@code X} and {@code XD})
     * @param path the matrix file, readable at this path on the driver and on every host
     * @param readOptions how to read it (the CSV delimiter)
     * @param continuous the continuous feature columns
     * @param discrete the discrete feature columns (text labels coded as class codes)
     * @param target the target's values
     * @param discreteTarget whether the target is discrete
     * @param progress told the features done so far, out of all of them
     * @return the values of the continuous columns, then of the discrete ones
     */
    public static List<Double> score(SparkShare share, String path, ReadOptions readOptions, int[] continuous, int[] discrete, double[] target,
                                     boolean discreteTarget, ProgressListener progress) {
        long total = continuous.length + discrete.length;
        share.register("target", SparkSource.data(target));
        List<Double> values = new ArrayList<>((int) total);
        if (continuous.length > 0) {
            share.register("X", new SparkSource.MatrixFileSource(path, false, continuous, false, readOptions));
            values.addAll(share.memApply("X").columns().vars("target")
                .progress((done, all) -> progress.progress(done, total))
                .run(FeatureRanking.mutualInformation(false, discreteTarget)));
        }
        if (discrete.length > 0) {
            long offset = continuous.length;
            share.register("XD", new SparkSource.MatrixFileSource(path, false, discrete, true, readOptions));
            values.addAll(share.memApply("XD").columns().vars("target")
                .progress((done, all) -> progress.progress(offset + done, total))
                .run(FeatureRanking.mutualInformation(true, discreteTarget)));
        }
        return values;
    }
}

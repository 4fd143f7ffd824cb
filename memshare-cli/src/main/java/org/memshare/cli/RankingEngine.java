package org.memshare.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.memshare.apply.ProgressListener;
import org.memshare.io.ReadOptions;

/**
 * Another engine for {@code memshare select} (Apache Spark: {@code --spark MASTER}), contributed by a
 * module above the command line: it lists its class (public, with a public no-argument constructor)
 * in {@code META-INF/services/org.memshare.cli.RankingEngine}, and {@code select} finds it with
 * {@link java.util.ServiceLoader}. The engine computes the same function as the local run,
 * {@link FeatureRanking#mutualInformation(boolean, boolean)}, so the values agree.
 *
 * <pre>{@code
 * public final class SparkFeatureRanking implements RankingEngine {
 *     public String name() { return "spark"; }
 *     public List<Double> score(Job job, ProgressListener progress) { ... }
 * }
 * }</pre>
 */
public interface RankingEngine {
    /**
     * The engine's name, as the option that selects it ({@code spark} for {@code --spark}).
     *
     * @return the name
     */
    String name();

    /**
     * Computes the mutual information of every feature column with the target.
     *
     * @param job what to rank
     * @param progress told the features done so far, out of all of them
     * @return the values for the continuous columns, then for the discrete ones, in the job's order
     * @throws Exception when the engine fails
     */
    List<Double> score(Job job, ProgressListener progress) throws Exception;

    /**
     * One ranking: the columns of a matrix file against a target column read on this machine.
     *
     * @param master where to run (the engine's own address: a Spark master URL)
     * @param input the matrix file (every host of the engine must be able to read it)
     * @param readOptions how to read it (the CSV delimiter), as the local run reads it
     * @param continuous the continuous feature columns, by index
     * @param discrete the discrete feature columns, by index (text labels coded as for the target)
     * @param target the target's values (class codes for a discrete target)
     * @param discreteTarget whether the target is discrete
     * @param rLayout whether the engine's hosts also publish the data in R memshare's layout, for R
     *     processes there to attach while the job runs
     * @param note prints a note for the user (standard error), in {@link java.util.Formatter} style
     */
    record Job(String master, Path input, ReadOptions readOptions, int[] continuous, int[] discrete, double[] target, boolean discreteTarget,
               boolean rLayout, Note note) {
        /** Checks the parts. */
        public Job {
            Objects.requireNonNull(master, "master");
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(readOptions, "readOptions");
            continuous = continuous.clone();
            discrete = discrete.clone();
            target = target.clone();
            Objects.requireNonNull(note, "note");
        }

        /**
         * The continuous feature columns.
         *
         * @return a copy of the indexes
         */
        @Override
        public int[] continuous() {
            return continuous.clone();
        }

        /**
         * The discrete feature columns.
         *
         * @return a copy of the indexes
         */
        @Override
        public int[] discrete() {
            return discrete.clone();
        }

        /**
         * The target's values.
         *
         * @return a copy
         */
        @Override
        public double[] target() {
            return target.clone();
        }
    }

    /** Prints a note for the user. */
    @FunctionalInterface
    interface Note {
        /**
         * Prints a note.
         *
         * @param format a {@link java.util.Formatter} format
         * @param args its arguments
         */
        void note(String format, Object... args);
    }
}

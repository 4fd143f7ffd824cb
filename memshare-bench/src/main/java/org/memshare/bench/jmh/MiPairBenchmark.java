package org.memshare.bench.jmh;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.memshare.stats.MutualInformation;
import org.memshare.stats.ParetoRadius;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One mutual-information pair at n = 4,000 (continuous × 4-class discrete, continuous × continuous),
 * one ranking column at the paper's size (10,446 rows, 32 classes, as the ranking calls it), the
 * Pareto radius alone, and the baseline the {@code bench mi} figures are divided by: sorting a copy
 * of the same values. Every call takes the next of 16 different columns, so branch predictors cannot
 * learn one input. Run with
 * {@code java -cp target/memshare.jar org.openjdk.jmh.Main MiPairBenchmark} (docs/BENCHMARKS.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class MiPairBenchmark {
    private static final int PAIR_N = 4_000;
    private static final int PAPER_ROWS = 10_446;
    private static final int COLUMNS = 16;

    private double[][] x;
    private double[] y;
    private double[] classes;
    private double[][] paperColumns;
    private double[] paperTarget;
    private int next;

    /** Builds the inputs: Gaussian columns with a weak class signal, fixed seed. */
    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        y = new double[PAIR_N];
        classes = new double[PAIR_N];
        for (int i = 0; i < PAIR_N; i++) {
            y[i] = random.nextGaussian();
            classes[i] = random.nextInt(4);
        }
        x = new double[COLUMNS][PAIR_N];
        for (double[] column : x) {
            for (int i = 0; i < PAIR_N; i++) {
                column[i] = random.nextGaussian() + 0.3 * classes[i] + 0.5 * y[i];
            }
        }
        paperTarget = new double[PAPER_ROWS];
        for (int i = 0; i < PAPER_ROWS; i++) {
            paperTarget[i] = random.nextInt(32);
        }
        paperColumns = new double[COLUMNS][PAPER_ROWS];
        for (double[] column : paperColumns) {
            for (int i = 0; i < PAPER_ROWS; i++) {
                column[i] = random.nextGaussian() + 0.2 * (paperTarget[i] % 3);
            }
        }
    }

    private int nextColumn() {
        next = (next + 1) & (COLUMNS - 1);
        return next;
    }

    /**
     * The baseline: sorts a copy of a column, the work every MI estimate does at least once.
     *
     * @return the smallest value of the sorted copy, so that the sort is not optimized away
     */
    @Benchmark
    public double sortBaseline() {
        double[] copy = x[nextColumn()].clone();
        Arrays.sort(copy);
        return copy[0];
    }

    /**
     * One continuous × discrete pair.
     *
     * @return MI of a continuous column and the 4-class target, n = 4,000
     */
    @Benchmark
    public double cdPair() {
        return MutualInformation.mutualinfo(x[nextColumn()], classes, false, true);
    }

    /**
     * One continuous × continuous pair.
     *
     * @return MI of two continuous columns, n = 4,000
     */
    @Benchmark
    public double ccPair() {
        return MutualInformation.mutualinfo(x[nextColumn()], y, false, false);
    }

    /**
     * The Pareto radius alone, which every estimate with a continuous variable computes.
     *
     * @return the Pareto radius of a column, n = 4,000
     */
    @Benchmark
    public double paretoRadius() {
        return ParetoRadius.of(x[nextColumn()]);
    }

    /**
     * One ranking column at the paper's size.
     *
     * @return MI of a paper-sized column and its 32-class target, as the feature ranking calls it
     */
    @Benchmark
    public double paperColumn() {
        return MutualInformation.mutualinfo(paperColumns[nextColumn()], paperTarget, false, true,
            MutualInformation.DEFAULT_EPS, true);
    }
}

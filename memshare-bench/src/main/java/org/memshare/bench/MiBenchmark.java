package org.memshare.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.memshare.apply.Cluster;
import org.memshare.apply.ProcessCluster;
import org.memshare.cli.FeatureRanking;
import org.memshare.cli.ProcessMemory;
import org.memshare.cli.ProgressBar;
import org.memshare.cli.ReportOptions;
import org.memshare.cli.SyntheticData;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.stats.MutualInformation;

/**
 * {@code bench mi}: one mutual-information pair (n = 4,000) against sorting the same values; ranking
 * 10,000 × 100 on 2 worker JVMs (start included) against the same ranking serially in this JVM; and,
 * unless {@code --quick}, the memshare paper's application at full size with its memory.
 */
final class MiBenchmark implements Benchmark {
    private static final int PAIR_N = 4_000;

    @Override
    public String name() {
        return "mi";
    }

    @Override
    public String summary() {
        return "MI per pair (n=4,000), ranking 10,000 x 100 on 2 workers, paper scale 10,446 x 19,637 (not with --quick)";
    }

    @Override
    public Map<String, Object> run(boolean quick, ReportOptions report) {
        PrintWriter log = report.log();
        Map<String, Object> figures = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(7);
        double[] x = new double[PAIR_N];
        double[] y = new double[PAIR_N];
        double[] classes = new double[PAIR_N];
        for (int i = 0; i < PAIR_N; i++) {
            x[i] = random.nextGaussian();
            y[i] = 0.5 * x[i] + random.nextGaussian();
            classes[i] = random.nextInt(4);
        }
        int repetitions = quick ? 15 : 40;
        double sortMs = medianMillis(repetitions, () -> {
            double[] copy = x.clone();
            Arrays.sort(copy);
            return copy[0];
        });
        double ccMs = medianMillis(repetitions, () -> MutualInformation.mutualinfo(x, y, false, false));
        double cdMs = medianMillis(repetitions, () -> MutualInformation.mutualinfo(x, classes, false, true));
        log.printf("MI pair, n=%,d: continuous x continuous %.2f ms, continuous x discrete %.2f ms;"
            + " baseline sort of the same values %.3f ms (ratios %.0fx, %.1fx)%n", PAIR_N, ccMs, cdMs, sortMs,
            ccMs / sortMs, cdMs / sortMs);
        figures.put("cc_pair_ms", ccMs);
        figures.put("cd_pair_ms", cdMs);
        figures.put("sort_baseline_ms", sortMs);

        MemShare memShare = MemShare.system();
        String namespace = "benchmi" + ProcessHandle.current().pid();
        try {
            SyntheticData data = SyntheticData.register(memShare, namespace, "X", 10_000, 100, 4, 5, 11);
            double serial = serialRanking(memShare, namespace, data.target());
            long start = System.nanoTime();
            try (ProcessCluster cluster = Cluster.processes(2, memShare)) {
                FeatureRanking.score(cluster, namespace, "X", data.featureNames(), false, data.target(), true,
                    (done, total) -> { }, 0, 100);
            }
            double parallel = (System.nanoTime() - start) / 1e9;
            log.printf("ranking 10,000 x 100, 4-class target: %.2f s on 2 worker JVMs (start included);"
                + " serial in this JVM %.2f s (ratio %.2f)%n", parallel, serial, parallel / serial);
            figures.put("rank_10000x100_s", parallel);
            figures.put("rank_serial_s", serial);
            memShare.releaseNamespace(namespace);

            if (!quick) {
                paperScale(memShare, namespace, report, figures);
            }
        } finally {
            memShare.releaseNamespace(namespace);
        }
        return figures;
    }

    /** The paper's application: 10,446 × 19,637 doubles (1.64 GB), 32-class target, 2 worker JVMs. */
    private static void paperScale(MemShare memShare, String namespace, ReportOptions report,
                                   Map<String, Object> figures) {
        PrintWriter log = report.log();
        int rows = 10_446;
        int features = 19_637;
        long dataBytes = (long) rows * features * 8;
        log.printf("paper scale: %,d x %,d (%,d MB), 32-class target, 2 worker JVMs%n", rows, features, dataBytes >> 20);
        long start = System.nanoTime();
        try (ProcessCluster cluster = Cluster.processes(2, memShare)) {
            cluster.awaitReady();
            long idle = ProcessMemory.totalPss();
            try (ProcessMemory.PeakSampler sampler = new ProcessMemory.PeakSampler(200)) {
                SyntheticData data = SyntheticData.register(memShare, namespace, "X", rows, features, 32, 8, 13);
                ProgressBar bar = report.progress("paper scale");
                List<FeatureRanking.Score> scores = FeatureRanking.score(cluster, namespace, "X", data.featureNames(),
                    false, data.target(), true, bar, 0, features);
                bar.finish();
                double seconds = (System.nanoTime() - start) / 1e9;
                long peak = sampler.peak();
                double ratio = (double) (peak - idle) / dataBytes;
                List<String> top = new ArrayList<>();
                for (FeatureRanking.Score s : FeatureRanking.ranked(scores).subList(0, 8)) {
                    top.add(s.name());
                }
                log.printf("  %.1f s wall (generation, worker start and ranking); peak PSS %,d MB above %,d MB idle"
                    + " = %.2f x the data; planted found in top 8: %d of 8%n", seconds, (peak - idle) >> 20, idle >> 20,
                    ratio, data.planted().stream().filter(j -> top.contains(data.featureNames().get(j))).count());
                figures.put("paper_scale_s", seconds);
                figures.put("paper_scale_pss_ratio", ratio);
            }
        }
    }

    private static double serialRanking(MemShare memShare, String namespace, double[] target) {
        long start = System.nanoTime();
        try (MatrixView matrix = memShare.retrieveMatrix(namespace, "X")) {
            double sink = 0;
            for (long j = 0; j < matrix.ncol(); j++) {
                sink += MutualInformation.mutualinfo(matrix.column(j).toDoubleArray(), target, false, true,
                    MutualInformation.DEFAULT_EPS, true);
            }
            if (Double.isNaN(sink)) {
                throw new IllegalStateException("serial ranking produced NaN");
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private interface Measured {
        double run();
    }

    private static double medianMillis(int repetitions, Measured body) {
        double sink = 0;
        for (int warm = 0; warm < repetitions; warm++) {
            sink += body.run();
        }
        double[] millis = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            long t = System.nanoTime();
            sink += body.run();
            millis[r] = (System.nanoTime() - t) / 1e6;
        }
        if (Double.isNaN(sink)) {
            throw new IllegalStateException("benchmark body produced NaN");
        }
        return Benchmark.median(millis);
    }
}

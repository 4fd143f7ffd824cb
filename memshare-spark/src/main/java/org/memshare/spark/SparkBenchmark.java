package org.memshare.spark;

import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.memshare.apply.Apply;
import org.memshare.apply.Cluster;
import org.memshare.apply.ProcessCluster;
import org.memshare.cli.FeatureRanking;
import org.memshare.cli.ProcessMemory;
import org.memshare.cli.ReportOptions;
import org.memshare.cli.SyntheticData;
import org.memshare.io.MatrixFile;
import org.memshare.io.MsmFile;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.registry.VectorView;
import org.memshare.stats.MutualInformation;

/**
 * {@code memshare bench spark}: a matrix of at least 1 GB on a {@code local-cluster} of two executor
 * JVMs on this host, column standard deviations then the mutual-information ranking, once with
 * memshare (one shared copy per host) and once with a Spark broadcast of the matrix (one copy per
 * executor JVM). Figures, all against baselines of the same run:
 * <ul>
 * <li>{@code memshare_pss_ratio}, {@code broadcast_pss_ratio}: growth of the executors' summed PSS over
 *     their idle PSS, after both jobs and a full collection in each (the views or broadcast values
 *     still held, the jobs' garbage returned), per matrix byte;</li>
 * <li>{@code copies_per_host}: the memshare copies of the matrix in the segment directory;</li>
 * <li>{@code spark_vs_local_time}: the ranking's wall time on the running cluster (data loaded) over
 *     the same ranking on two local worker JVMs (data in shared memory, workers started).</li>
 * </ul>
 */
final class SparkBenchmark {
    private static final int CLASSES = 2;
    private static final long SEED = 42;

    private final ReportOptions report;
    private final boolean quick;

    SparkBenchmark(ReportOptions report, boolean quick) {
        this.report = report;
        this.quick = quick;
    }

    /** The figures of one run, by JSON key. */
    Map<String, Object> run() throws Exception {
        int rows = quick ? 32_768 : 262_144;
        int features = quick ? 64 : 512; // 1 GB in full: 2^18 rows x 2^9 columns of doubles
        long matrixBytes = 8L * rows * features;
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        report.note("bench spark: %,d x %,d matrix (%.2f GB), load average %.1f%n", rows, features, matrixBytes / 1e9, load);

        MemShare memShare = MemShare.system();
        String namespace = "benchspark" + ProcessHandle.current().pid();
        Path file = Files.createTempFile("memshare-bench-spark-", ".msm");
        Map<String, Object> figures = new LinkedHashMap<>();
        try {
            // The local baseline: the data in shared memory, two worker JVMs started, then the ranking.
            SyntheticData data = SyntheticData.register(memShare, namespace, "X", rows, features, CLASSES, 8, SEED);
            List<Double> local;
            double localSeconds;
            try (MatrixView x = memShare.retrieveMatrix(namespace, "X")) {
                MsmFile.write(file, rows, features, data.featureNames(), x.segment());
            }
            try (ProcessCluster cluster = Cluster.processes(2, memShare)) {
                // A tiny call waits for the worker JVMs, so that their start is not timed.
                Apply.memApply(new double[][] {{1, 2}}).cluster(cluster).run((column, vars) -> column.sum());
                long start = System.nanoTime();
                local = scores(FeatureRanking.score(cluster, namespace, "X", data.featureNames(), false, data.target(), true,
                    (d, t) -> { }, 0, features));
                localSeconds = (System.nanoTime() - start) / 1e9;
            } finally {
                memShare.releaseVariables(namespace, "X");
            }
            report.note("local ranking on 2 worker JVMs: %.2f s%n", localSeconds);

            VariantFigures shared = withMemshare(file, rows, features, matrixBytes, data.target());
            VariantFigures broadcast = withBroadcast(file, rows, features, matrixBytes, data.target());

            figures.put("matrix_bytes", matrixBytes);
            figures.put("executors", 2);
            figures.put("memshare_pss_ratio", round(shared.pssGrowth / (double) matrixBytes));
            figures.put("broadcast_pss_ratio", round(broadcast.pssGrowth / (double) matrixBytes));
            figures.put("copies_per_host", shared.copies);
            figures.put("spark_rank_seconds", round(shared.rankSeconds));
            figures.put("local_rank_seconds", round(localSeconds));
            figures.put("spark_vs_local_time", round(shared.rankSeconds / localSeconds));
            figures.put("broadcast_rank_seconds", round(broadcast.rankSeconds));
            figures.put("same_values", sameValues(local, shared.mi) && sameValues(local, broadcast.mi)
                && shared.sds.equals(broadcast.sds));
            figures.put("load_average", round(load));
            report.log().printf(Locale.ROOT, "executors' PSS growth per matrix byte: memshare %.2f, broadcast %.2f;"
                    + " copies on the host: %d; ranking %.2f s on Spark vs %.2f s locally (x%.2f)%n",
                shared.pssGrowth / (double) matrixBytes, broadcast.pssGrowth / (double) matrixBytes, shared.copies,
                shared.rankSeconds, localSeconds, shared.rankSeconds / localSeconds);
            report.log().flush();
            return figures;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** What one application measured. */
    private record VariantFigures(long pssGrowth, int copies, double rankSeconds, List<Double> sds, List<Double> mi) {
    }

    private VariantFigures withMemshare(Path file, int rows, int features, long matrixBytes, double[] target) {
        SparkContext sc = start(1024, "memshare bench spark (memshare)");
        try (SparkShare share = SparkShare.open(sc)) {
            Set<Long> executors = executorPids(sc);
            collectGarbage(sc, executors);
            long idle = ProcessMemory.totalPss(executors);
            share.register("X", SparkSource.file(file.toString())).register("target", SparkSource.data(target));
            List<Double> sds = share.memApply("X").columns().run((column, vars) -> sd(column));
            long start = System.nanoTime();
            List<Double> mi = share.memApply("X").columns().vars("target")
                .run(FeatureRanking.mutualInformation(false, true));
            double seconds = (System.nanoTime() - start) / 1e9;
            collectGarbage(sc, executors);
            long growth = ProcessMemory.totalPss(executors) - idle;
            int copies = MemShare.system().exists(share.namespace(), "X") ? 1 : 0;
            report.note("memshare: ranking %.2f s, executors' PSS growth %.2f GB, %d copy on the host%n",
                seconds, growth / 1e9, copies);
            return new VariantFigures(growth, copies, seconds, sds, mi);
        } finally {
            sc.stop();
        }
    }

    private VariantFigures withBroadcast(Path file, int rows, int features, long matrixBytes, double[] target) {
        // Each executor holds the broadcast value on its heap, and Spark's blocks of it besides.
        SparkContext sc = start(Math.toIntExact(Math.max(1024, 3 * matrixBytes / (1 << 20) + 512)),
            "memshare bench spark (broadcast)");
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
            Set<Long> executors = executorPids(sc);
            collectGarbage(sc, executors);
            long idle = ProcessMemory.totalPss(executors);
            MatrixFile matrix = MatrixFile.open(file);
            double[] values = new double[Math.toIntExact((long) rows * features)];
            matrix.copyInto(MemorySegment.ofArray(values));
            Broadcast<double[]> x = jsc.broadcast(values);
            Broadcast<double[]> y = jsc.broadcast(target);
            List<Integer> columns = new ArrayList<>();
            for (int j = 0; j < features; j++) {
                columns.add(j);
            }
            int tasks = 4 * sc.defaultParallelism();
            List<Double> sds = jsc.parallelize(columns, tasks).map(j -> sd(column(x.value(), rows, j))).collect();
            long start = System.nanoTime();
            List<Double> mi = jsc.parallelize(columns, tasks).map(j -> MutualInformation.mutualinfo(
                column(x.value(), rows, j), y.value(), false, true, MutualInformation.DEFAULT_EPS, true)).collect();
            double seconds = (System.nanoTime() - start) / 1e9;
            collectGarbage(sc, executors);
            long growth = ProcessMemory.totalPss(executors) - idle;
            report.note("broadcast: ranking %.2f s, executors' PSS growth %.2f GB%n", seconds, growth / 1e9);
            return new VariantFigures(growth, 0, seconds, sds, mi);
        } finally {
            sc.stop();
        }
    }

    private SparkContext start(int executorMegabytes, String name) {
        SparkSetup.commandLineLogging();
        long start = System.nanoTime();
        SparkContext sc = new SparkContext(SparkSetup.conf("local-cluster[2,1," + executorMegabytes + "]", name)
            .set("spark.ui.enabled", "false"));
        report.note("%s: cluster of 2 executors (%d MB each) up in %.1f s%n", name, executorMegabytes,
            (System.nanoTime() - start) / 1e9);
        return sc;
    }

    /**
     * A full collection in every executor, so that PSS counts what the executors hold (the shared
     * copy and its views, or the broadcast values) and not the garbage of the jobs: G1 returns the
     * freed heap to the system after a full collection.
     */
    private static void collectGarbage(SparkContext sc, Set<Long> executors) {
        if (!executorPidsAfter(sc, () -> System.gc()).equals(executors)) {
            throw new IllegalStateException("an executor was replaced during the benchmark: pids=" + executors);
        }
    }

    /** The executor JVMs: a small job with enough tasks that both take part. */
    private static Set<Long> executorPids(SparkContext sc) {
        return executorPidsAfter(sc, () -> { });
    }

    /** Runs {@code action} in tasks until both executors took part; returns their pids. */
    private static Set<Long> executorPidsAfter(SparkContext sc, SerializableAction action) {
        List<Integer> tasks = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            tasks.add(t);
        }
        Set<Long> pids = new HashSet<>(JavaSparkContext.fromSparkContext(sc).parallelize(tasks, tasks.size()).map(t -> {
            Thread.sleep(50);
            action.run();
            return ProcessHandle.current().pid();
        }).collect());
        if (pids.size() != 2) {
            throw new IllegalStateException("expected 2 executors to take part: pids=" + pids);
        }
        return pids;
    }

    /** Work a task does, shipped with it. */
    @FunctionalInterface
    private interface SerializableAction extends Serializable {
        void run();
    }

    private static double[] column(double[] columnMajor, int rows, int j) {
        double[] column = new double[rows];
        System.arraycopy(columnMajor, j * rows, column, 0, rows);
        return column;
    }

    private static double sd(VectorView column) {
        return sd(column.toDoubleArray());
    }

    private static double sd(double[] values) {
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double s = 0;
        for (double v : values) {
            s += (v - mean) * (v - mean);
        }
        return Math.sqrt(s / (values.length - 1));
    }

    private static List<Double> scores(List<FeatureRanking.Score> scores) {
        return scores.stream().map(FeatureRanking.Score::mi).toList();
    }

    private static boolean sameValues(List<Double> expected, List<Double> actual) {
        if (expected.size() != actual.size()) {
            return false;
        }
        for (int j = 0; j < expected.size(); j++) {
            if (Math.abs(expected.get(j) - actual.get(j)) > 1e-12 * Math.abs(expected.get(j))) {
                return false;
            }
        }
        return true;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}

package org.memshare.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.memshare.apply.Cluster;
import org.memshare.apply.ProcessCluster;
import org.memshare.apply.WorkerOptions;
import org.memshare.cli.FeatureRanking;
import org.memshare.cli.ProcessMemory;
import org.memshare.cli.ProgressBar;
import org.memshare.cli.ReportOptions;
import org.memshare.cli.SyntheticData;
import org.memshare.cli.Workers;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.stats.MutualInformation;

/**
 * {@code bench mi}: one mutual-information pair (n = 4,000) against sorting the same values; ranking
 * 10,000 × 100 on 2 worker JVMs (start included) against the same ranking serially in this JVM; and,
 * unless {@code --quick}, the memshare paper's application at full size with its memory and the
 * comparison with scikit-learn ({@link SklearnComparison}).
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
            double noCache = rankWithoutWorkerCache(memShare, namespace, data);
            log.printf("the same ranking without the workers' start-up cache: %.2f s (with it / without = %.2f)%n",
                noCache, parallel / noCache);
            figures.put("rank_10000x100_no_cache_s", noCache);
            memShare.releaseNamespace(namespace);
            demoSize(quick, log, figures);

            if (!quick) {
                paperScale(memShare, namespace, report, figures);
                memShare.releaseNamespace(namespace);
                SklearnComparison.run(memShare, namespace, report, figures);
            } else {
                log.println("scikit-learn comparison skipped with --quick (its call takes tens of seconds)");
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

    /**
     * {@code rank_10000x100_s} again with workers that start without the ahead-of-time cache beside
     * the application jar: {@code -Xshare:auto} (the JVM's own class data sharing) is a class-data
     * choice of the user's, so the library adds no cache. Start included, as in the figure with it.
     */
    private static double rankWithoutWorkerCache(MemShare memShare, String namespace, SyntheticData data) {
        long start = System.nanoTime();
        WorkerOptions noCache = WorkerOptions.builder().jvmOptions("-Xshare:auto").build();
        try (ProcessCluster cluster = Cluster.processes(2, memShare, noCache)) {
            FeatureRanking.score(cluster, namespace, "X", data.featureNames(), false, data.target(), true,
                (done, total) -> { }, 0, 100);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** The demo's size. */
    private static final int DEMO_ROWS = 10_000;
    private static final int DEMO_FEATURES = 2_000;

    /** The worker JVM options that were the defaults before idle workers were made small. */
    private static final List<String> WORKER_OPTIONS_BEFORE = List.of("-Xmx512m", "-XX:+UseSerialGC");

    /**
     * The demo's job at the demo's size (10,000 × 2,000, on the worker JVMs {@code demo} starts by
     * default: one with a thread per core) in a fresh parent JVM each ({@link DemoSizeRun}): peak total
     * PSS of the parent and its workers over the data bytes, and the ranking's seconds (worker start
     * excluded), alternately with the defaults (the parent started with this JVM's options, which
     * {@code ./memshare} chose; the default worker options and shape), with the defaults but one
     * single-threaded worker JVM per core (the shape of before), and with everything as before (the
     * parent with the JVM's defaults, as {@code ./memshare} started it before; a worker JVM per core with
     * {@link #WORKER_OPTIONS_BEFORE}). {@code --quick}: one run each, otherwise two; medians.
     */
    private static void demoSize(boolean quick, PrintWriter log, Map<String, Object> figures) {
        int cores = Runtime.getRuntime().availableProcessors();
        Workers.Layout shape = Workers.Layout.defaults(DEMO_FEATURES);
        int rounds = quick ? 1 : 2;
        double[] ratio = new double[rounds];
        double[] alone = new double[rounds];
        double[] ratioJvmPerCore = new double[rounds];
        double[] ratioBefore = new double[rounds];
        double[] rank = new double[rounds];
        double[] rankBefore = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            double[] before = demoSizeRun(cores, 1, log, List.of(), "only", WORKER_OPTIONS_BEFORE);
            double[] now = demoSizeRun(shape.jvms(), shape.threadsEach(), log, parentOptions(), "defaults", List.of());
            double[] jvmPerCore = demoSizeRun(cores, 1, log, parentOptions(), "defaults", List.of());
            ratioBefore[r] = before[0];
            rankBefore[r] = before[1];
            ratio[r] = now[0];
            rank[r] = now[1];
            alone[r] = now[2];
            ratioJvmPerCore[r] = jvmPerCore[0];
        }
        double pss = Benchmark.median(ratio);
        double seconds = Benchmark.median(rank);
        double secondsBefore = Benchmark.median(rankBefore);
        double pssBefore = Benchmark.median(ratioBefore);
        double pssJvmPerCore = Benchmark.median(ratioJvmPerCore);
        double pssAlone = Benchmark.median(alone);
        log.printf("demo size, 10,000 x 2,000 on %s: peak PSS %.2f x the data (target <= 1.5; %.2f x at the end of the"
            + " ranking with the pages other processes share, this benchmark's JVM among them, counted as if they were absent),"
            + " ranking %.2f s;"
            + " the same options on %d single-threaded worker JVMs: %.2f x; as before (%d worker JVMs, %s): %.2f x, %.2f s"
            + " (ranking now / before = %.3f, target <= 1.05)%n",
            shape.describe(), pss, pssAlone, seconds, cores, pssJvmPerCore, cores, String.join(" ", WORKER_OPTIONS_BEFORE), pssBefore,
            secondsBefore, seconds / secondsBefore);
        figures.put("demo_size_pss_ratio", pss);
        figures.put("demo_size_alone_ratio", pssAlone);
        figures.put("demo_size_pss_ratio_jvm_per_core", pssJvmPerCore);
        figures.put("demo_size_pss_ratio_before", pssBefore);
        figures.put("demo_size_rank_s", seconds);
        figures.put("demo_size_rank_before_s", secondsBefore);
        figures.put("demo_size_rank_vs_before", seconds / secondsBefore);
    }

    /**
     * The JVM options this JVM was started with (by {@code ./memshare}: its memory options for the
     * parent, its class-data cache, and {@code MEMSHARE_JAVA_OPTS}), so that a command's JVM the
     * benchmarks start (a demo-size parent, {@code select}) is started the same way.
     */
    static List<String> parentOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(option -> !option.startsWith("--enable-native-access")).toList();
    }

    /**
     * A command that runs {@code mainClass} in a fresh JVM of this JDK, on this JVM's class path.
     *
     * @param jvmOptions the new JVM's options (beside native access)
     * @param mainClass the class to run
     * @param arguments its arguments
     * @return the command line
     */
    static List<String> freshJvm(List<String> jvmOptions, String mainClass, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(arguments);
        return command;
    }

    /**
     * @return peak PSS over the data bytes, the ranking's seconds, and {@link ProcessMemory#alone} at the end of
     *     the ranking over the data bytes, of one {@link DemoSizeRun}
     */
    private static double[] demoSizeRun(int workers, int threads, PrintWriter log, List<String> parentOptions, String mode,
                                        List<String> workerOptions) {
        List<String> arguments = new ArrayList<>(List.of(Integer.toString(DEMO_ROWS), Integer.toString(DEMO_FEATURES),
            Integer.toString(workers), Integer.toString(threads), mode));
        arguments.addAll(workerOptions);
        List<String> command = freshJvm(parentOptions, DemoSizeRun.class.getName(), arguments);
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                output = out.lines().filter(line -> line.startsWith("peak_pss_bytes=")).findFirst().orElse("");
            }
            if (process.waitFor() != 0 || output.isEmpty()) {
                throw new IllegalStateException("demo-size run failed: exitCode=" + process.exitValue() + ", command=" + command);
            }
            Map<String, Double> values = new LinkedHashMap<>();
            for (String field : output.split(" ")) {
                String[] pair = field.split("=");
                values.put(pair[0], Double.parseDouble(pair[1]));
            }
            log.printf("  parent [%s], %d worker JVM(s) x %d thread(s), options %s %s: %s%n", String.join(" ", parentOptions),
                workers, threads, mode, String.join(" ", workerOptions), output);
            return new double[] {values.get("peak_pss_bytes") / values.get("data_bytes"), values.get("rank_s"),
                values.get("alone_bytes") / values.get("data_bytes")};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a demo-size run", e);
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

    /**
     * Untimed calls before the timed ones: at least as many, and for at least this long. A count
     * alone left the figures to the interpreter and the first compilers: 15–40 sorts of 4,000 values
     * take about a millisecond, and a continuous × discrete pair reached its compiled speed only
     * after some hundreds of calls.
     */
    private static final long WARM_UP_NANOS = 1_000_000_000L;

    private static double medianMillis(int repetitions, Measured body) {
        double sink = 0;
        long warmUntil = System.nanoTime() + WARM_UP_NANOS;
        for (int warm = 0; warm < repetitions || System.nanoTime() < warmUntil; warm++) {
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

package org.memshare.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.memshare.apply.Cluster;
import org.memshare.apply.ProcessCluster;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code memshare demo}: the main job. Builds a synthetic matrix with a few planted features and a
 * 4-class target, registers it once in shared memory, ranks every feature by mutual information on a
 * pool of worker JVMs, and reports what it found, how long it took and how much memory it used.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Rank the features of a synthetic matrix by mutual information on worker JVMs.",
        "The matrix (with 5 planted informative features and a 4-class target) goes once into shared"
            + " memory; the workers read it in place."})
final class DemoCommand implements Verb {
    /** The name of the target column in a saved data set. */
    static final String TARGET_COLUMN = "class";

    @Mixin
    private ReportOptions report;

    @Mixin
    private WorkerJvmOptions workerJvm;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "10000", description = "Rows (default: ${DEFAULT-VALUE}).")
    private int rows;

    @Option(names = "--features", paramLabel = "P", defaultValue = "2000",
        description = "Features, i.e. columns (default: ${DEFAULT-VALUE}).")
    private int features;

    @Option(names = "--workers", paramLabel = "W",
        description = "Worker JVMs (default: one, with a thread per core; see --threads-per-worker).")
    private Integer workers;

    @Option(names = "--top", paramLabel = "K", defaultValue = "20",
        description = "Features to show (default: ${DEFAULT-VALUE}).")
    private int top;

    @Option(names = "--plot", paramLabel = "FILE", description = "Also draw the top K features as a bar chart (PNG).")
    private Path plot;

    @Option(names = "--save", paramLabel = "FILE",
        description = "Also write the data set as CSV: the features, then the target column 'class' (for select).")
    private Path save;

    @Override
    public Integer call() throws IOException {
        Workers.Layout shape = Workers.of(workers, workerJvm.threadsPerWorker(), features);
        if (rows < 3 || features < 1 || top < 1) {
            throw new UsageException("--rows must be at least 3, --features and --top at least 1: rows=" + rows
                + ", features=" + features + ", top=" + top);
        }
        int classes = 4;
        int plantedCount = Math.min(5, features);
        String namespace = "demo" + ProcessHandle.current().pid();
        MemShare memShare = MemShare.system();
        long bytes = (long) rows * features * 8;
        report.note("memshare demo: %,d rows x %,d features (%,d MB of doubles), %d-class target, %d planted features%n",
            rows, features, bytes >> 20, classes, plantedCount);
        long start = System.nanoTime();
        try (ProcessMemory.PeakSampler memory = new ProcessMemory.PeakSampler(100)) {
            SyntheticData data = SyntheticData.register(memShare, namespace, "X", rows, features, classes, plantedCount, 42);
            report.note("registered %s.X in shared memory in %.2f s%n", namespace, seconds(start));
            if (save != null) {
                save(memShare, namespace, data);
            }
            long clusterStart = System.nanoTime();
            try (ProcessCluster cluster = Cluster.processes(shape.jvms(), memShare, workerJvm.workerOptions(shape.threadsEach()))) {
                cluster.awaitReady();
                report.note("started %s in %.2f s (pids %s)%n", shape.describe(), seconds(clusterStart), cluster.workerPids());
                long rankStart = System.nanoTime();
                ProgressBar bar = report.progress("ranking features");
                List<FeatureRanking.Score> ranked = FeatureRanking.ranked(FeatureRanking.score(cluster, namespace, "X",
                    data.featureNames(), false, data.target(), true, bar, 0, features));
                bar.finish();
                double rankSeconds = seconds(rankStart);
                if (plot != null) {
                    RankingPlot.write(plot, "the class (synthetic data)", ranked.subList(0, Math.min(top, ranked.size())));
                    report.note("plot written to %s%n", plot);
                }
                print(data, ranked, rankSeconds, seconds(start), shape, memory.peak(), bytes);
                return 0;
            }
        } finally {
            memShare.releaseNamespace(namespace);
        }
    }

    private void print(SyntheticData data, List<FeatureRanking.Score> ranked, double rankSeconds, double wallSeconds,
                       Workers.Layout shape, long peakPss, long dataBytes) {
        List<String> plantedNames = data.planted().stream().map(j -> data.featureNames().get(j)).toList();
        int shown = Math.min(top, ranked.size());
        List<String> topNames = ranked.subList(0, Math.min(plantedNames.size(), ranked.size())).stream()
            .map(FeatureRanking.Score::name).toList();
        long found = plantedNames.stream().filter(topNames::contains).count();
        double perFeatureMs = rankSeconds * 1000 * shape.jvms() * shape.threadsEach() / ranked.size();
        if (report.json()) {
            report.printJson(new Reports.Demo(ranked.subList(0, shown).stream().map(Reports.Feature::of).toList(),
                plantedNames, found, wallSeconds, rankSeconds, perFeatureMs, peakPss, dataBytes));
            return;
        }
        PrintWriter out = report.out();
        out.printf("top %d features by mutual information (nats):%n", shown);
        for (int k = 0; k < shown; k++) {
            FeatureRanking.Score score = ranked.get(k);
            out.printf("  %2d. %-8s %.6f%s%n", k + 1, score.name(), score.mi(),
                plantedNames.contains(score.name()) ? "   <- planted" : "");
        }
        out.printf("planted features %s: %d of %d are the top %d%n", plantedNames, found, plantedNames.size(),
            plantedNames.size());
        out.printf("wall time %.2f s (ranking %.2f s on %s, %.2f ms per feature per thread)%n",
            wallSeconds, rankSeconds, shape.describe(), perFeatureMs);
        out.printf("peak memory: %,d MB total PSS of this JVM and its workers, for %,d MB of shared data%n",
            peakPss >> 20, dataBytes >> 20);
    }

    /** Writes the shared matrix and the target as CSV, the way {@code select} reads it back. */
    private void save(MemShare memShare, String namespace, SyntheticData data) throws IOException {
        List<String> names = new ArrayList<>(data.featureNames());
        names.add(TARGET_COLUMN);
        int targetColumn = data.featureNames().size();
        try (MatrixView x = memShare.retrieveMatrix(namespace, "X")) {
            CsvOutput.writeMatrix(save, names, rows, (i, j) -> j == targetColumn ? data.target()[(int) i] : x.get(i, j));
        }
        report.note("saved the data set to %s (target column '%s')%n", save, TARGET_COLUMN);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}

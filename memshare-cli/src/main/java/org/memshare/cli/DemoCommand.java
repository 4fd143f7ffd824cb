package org.memshare.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.memshare.apply.Cluster;
import org.memshare.apply.ProcessCluster;
import org.memshare.registry.MemShare;

/**
 * {@code memshare demo}: the main job. Builds a synthetic matrix with a few planted features and a
 * 4-class target, registers it once in shared memory, ranks every feature by mutual information on a
 * pool of worker JVMs, and reports what it found, how long it took and how much memory it used.
 */
final class DemoCommand implements Command {
    @Override
    public String verb() {
        return "demo";
    }

    @Override
    public String summary() {
        return "[--rows N] [--features P] [--workers W] [--top K] [--json]   rank synthetic features by MI on worker JVMs";
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("rows", "features", "workers", "top");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("json");
    }

    @Override
    public int run(Arguments args, PrintStream out, PrintStream err) {
        int rows = args.intOption("rows", 10_000);
        int features = args.intOption("features", 2_000);
        int workers = args.intOption("workers", Cluster.defaultSize());
        int top = args.intOption("top", 20);
        boolean json = args.flag("json");
        if (workers < 1) {
            throw new UsageException("--workers must be at least 1: workers=" + workers);
        }
        if (rows < 3 || features < 1 || top < 1) {
            throw new UsageException("--rows must be at least 3, --features and --top at least 1");
        }
        PrintStream log = json ? err : out;
        int classes = 4;
        int plantedCount = Math.min(5, features);
        String namespace = "demo" + ProcessHandle.current().pid();
        MemShare memShare = MemShare.system();
        long bytes = (long) rows * features * 8;
        log.printf("memshare demo: %,d rows x %,d features (%,d MB of doubles), %d-class target, %d planted features%n",
            rows, features, bytes >> 20, classes, plantedCount);
        long start = System.nanoTime();
        try (ProcessMemory.PeakSampler memory = new ProcessMemory.PeakSampler(100)) {
            SyntheticData data = SyntheticData.register(memShare, namespace, "X", rows, features, classes, plantedCount, 42);
            double registered = seconds(start);
            log.printf("registered %s.X in shared memory in %.2f s%n", namespace, registered);
            long clusterStart = System.nanoTime();
            try (ProcessCluster cluster = Cluster.processes(workers, memShare)) {
                cluster.awaitReady();
                log.printf("started %d worker JVM(s) in %.2f s (pids %s)%n", workers, seconds(clusterStart), cluster.workerPids());
                long rankStart = System.nanoTime();
                ProgressBar bar = new ProgressBar(log, "ranking features");
                List<FeatureRanking.Score> ranked = FeatureRanking.ranked(FeatureRanking.score(cluster, namespace, "X",
                    data.featureNames(), false, data.target(), true, bar, 0, features));
                bar.finish();
                double rankSeconds = seconds(rankStart);
                return report(out, log, json, data, ranked, top, rankSeconds, seconds(start), workers, memory.peak(), bytes);
            }
        } finally {
            memShare.releaseNamespace(namespace);
        }
    }

    private static int report(PrintStream out, PrintStream log, boolean json, SyntheticData data,
                              List<FeatureRanking.Score> ranked, int top, double rankSeconds, double wallSeconds,
                              int workers, long peakPss, long dataBytes) {
        List<String> plantedNames = data.planted().stream().map(j -> data.featureNames().get(j)).toList();
        int shown = Math.min(top, ranked.size());
        List<String> topNames = ranked.subList(0, Math.min(plantedNames.size(), ranked.size())).stream()
            .map(FeatureRanking.Score::name).toList();
        long found = plantedNames.stream().filter(topNames::contains).count();
        double perFeatureMs = rankSeconds * 1000 * workers / ranked.size();
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("features", ranked.subList(0, shown).stream()
                .map(s -> Map.<String, Object>of("name", s.name(), "mi", s.mi())).toList());
            result.put("planted", plantedNames);
            result.put("planted_found_in_top", found);
            result.put("wall_s", wallSeconds);
            result.put("rank_s", rankSeconds);
            result.put("per_feature_ms", perFeatureMs);
            result.put("peak_pss_bytes", peakPss);
            result.put("data_bytes", dataBytes);
            out.println(Json.write(result));
            return 0;
        }
        log.printf("top %d features by mutual information (nats):%n", shown);
        for (int k = 0; k < shown; k++) {
            FeatureRanking.Score score = ranked.get(k);
            log.printf("  %2d. %-8s %.6f%s%n", k + 1, score.name(), score.mi(),
                plantedNames.contains(score.name()) ? "   <- planted" : "");
        }
        log.printf("planted features %s: %d of %d are the top %d%n", plantedNames, found, plantedNames.size(), plantedNames.size());
        log.printf("wall time %.2f s (ranking %.2f s on %d worker JVM(s), %.2f ms per feature per worker)%n",
            wallSeconds, rankSeconds, workers, perFeatureMs);
        log.printf("peak memory: %,d MB total PSS of this JVM and its workers, for %,d MB of shared data%n",
            peakPss >> 20, dataBytes >> 20);
        return 0;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}

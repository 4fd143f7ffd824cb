package org.memshare.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.memshare.apply.Cluster;
import org.memshare.apply.ProcessCluster;
import org.memshare.apply.WorkerOptions;
import org.memshare.cli.FeatureRanking;
import org.memshare.cli.ProcessMemory;
import org.memshare.cli.SyntheticData;
import org.memshare.registry.MemShare;

/**
 * The demo's job in a JVM of its own, started by {@code bench mi} with the JVM options under test
 * (a fresh parent JVM, so its memory is the demo's, not the benchmark's): registers the
 * demo's synthetic matrix, ranks every feature on worker JVMs and prints one line of figures,
 * {@code peak_pss_bytes=… data_bytes=… rank_s=… parent_pss_bytes=… workers_pss_bytes=… alone_bytes=…} (the last
 * three at the end of the ranking; {@code alone_bytes} is {@link ProcessMemory#alone}, the memory of this
 * JVM and its workers with the pages other processes share counted as if those were absent). The peak is of the total PSS of this JVM and its
 * workers, sampled every 50 ms from before the data exists to the end of the ranking.
 *
 * <p>Arguments: {@code ROWS FEATURES WORKERS THREADS MODE [JVM_OPTION…]} (THREADS per worker JVM); MODE {@code defaults} runs the
 * workers with {@link WorkerOptions#defaults()}, {@code only} with exactly the options that follow
 * (no defaults).
 */
final class DemoSizeRun {
    private DemoSizeRun() {
    }

    static void main(String[] args) {
        int rows = Integer.parseInt(args[0]);
        int features = Integer.parseInt(args[1]);
        int workers = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        List<String> options = Arrays.asList(args).subList(5, args.length);
        WorkerOptions workerOptions = switch (args[4]) {
            case "defaults" -> WorkerOptions.builder().jvmOptions(options).threads(threads).build();
            case "only" -> WorkerOptions.builder().jvmOptions(options).defaultJvmOptions(false).threads(threads).build();
            default -> throw new IllegalArgumentException("mode must be defaults or only: mode=" + args[4]);
        };
        MemShare memShare = MemShare.system();
        String namespace = "benchdemo" + ProcessHandle.current().pid();
        long dataBytes = (long) rows * features * Double.BYTES;
        try (ProcessMemory.PeakSampler memory = new ProcessMemory.PeakSampler(50)) {
            SyntheticData data = SyntheticData.register(memShare, namespace, "X", rows, features, 4, 5, 42);
            try (ProcessCluster cluster = Cluster.processes(workers, memShare, workerOptions)) {
                cluster.awaitReady();
                long start = System.nanoTime();
                List<FeatureRanking.Score> scores = FeatureRanking.score(cluster, namespace, "X", data.featureNames(),
                    false, data.target(), true, (done, total) -> { }, 0, features);
                double seconds = (System.nanoTime() - start) / 1e9;
                if (scores.size() != features) {
                    throw new IllegalStateException("ranking gave scores=" + scores.size());
                }
                long peak = memory.peak();
                long parent = ProcessMemory.pss(ProcessHandle.current().pid());
                long workersPss = ProcessMemory.totalPss(cluster.workerPids());
                List<Long> job = new ArrayList<>(List.of(ProcessHandle.current().pid()));
                job.addAll(cluster.workerPids());
                long alone = ProcessMemory.alone(job);
                System.out.println(String.format(Locale.ROOT,
                    "peak_pss_bytes=%d data_bytes=%d rank_s=%.4f parent_pss_bytes=%d workers_pss_bytes=%d alone_bytes=%d",
                    peak, dataBytes, seconds, parent, workersPss, alone));
            }
        } finally {
            memShare.releaseNamespace(namespace);
        }
    }
}

package org.memshare.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.memshare.apply.Apply;
import org.memshare.apply.Cluster;
import org.memshare.apply.ProcessCluster;
import org.memshare.apply.ThreadCluster;
import org.memshare.registry.MemShare;

/**
 * The training run for the workers' ahead-of-time cache: {@code ./memshare} runs it once after each
 * build with {@code -XX:AOTCacheOutput}, so the classes and method profiles of typical jobs over
 * shared memory are recorded. The workload is one no benchmark measures (so {@code bench} reports no
 * job the cache has rehearsed): 4,000 × 40 matrices of another seed, mutual information against a
 * continuous target and against a 3-class target (the benchmarks rank against 4 and 32 classes at
 * other sizes), row means, and a few small calls on one worker JVM for the protocol. Not a verb: the launcher calls this class directly.
 */
final class WorkerTraining {
    private static final int ROWS = 4_000;
    private static final int FEATURES = 40;

    private WorkerTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Files.createTempDirectory(MemShare.system().directory(), "memshare-training-");
        MemShare memShare = MemShare.forDirectory(directory);
        try (ThreadCluster cluster = Cluster.threads(1, memShare)) {
            SyntheticData data = SyntheticData.register(memShare, "training", "X", ROWS, FEATURES, 3, 3, 20_251_130);
            FeatureRanking.score(cluster, "training", "X", data.featureNames(), false, data.target(), true,
                (done, total) -> { }, 0, FEATURES);
            SplittableRandom random = new SplittableRandom(17);
            double[] response = new double[ROWS];
            for (int i = 0; i < ROWS; i++) {
                response[i] = data.target()[i] + random.nextGaussian();
            }
            List<Double> continuous = Apply.memApply("X").namespace("training").columns().cluster(cluster)
                .var("target", response)
                .run(FeatureRanking.mutualInformation(false, false));
            List<Double> means = Apply.memApply("X").namespace("training").rows().cluster(cluster)
                .run((row, vars) -> row.sum() / row.length());
            // A few calls on a worker JVM record the protocol's classes and profiles (this JVM's side
            // and the warm-up the workers run too) in the cache.
            List<Double> sums = List.of();
            try (ProcessCluster workers = Cluster.processes(1, memShare)) {
                for (int call = 0; call < 20; call++) {
                    sums = Apply.memApply("X").namespace("training").columns().cluster(workers).run((column, vars) -> column.sum());
                }
            }
            if (continuous.size() != FEATURES || means.size() != ROWS || sums.size() != FEATURES) {
                throw new IllegalStateException("training run gave columns=" + continuous.size() + ", rows=" + means.size());
            }
        } finally {
            memShare.releaseNamespace("training");
            Files.deleteIfExists(directory);
        }
    }
}

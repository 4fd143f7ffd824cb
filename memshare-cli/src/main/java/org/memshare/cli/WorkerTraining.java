package org.memshare.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.memshare.apply.Apply;
import org.memshare.apply.Cluster;
import org.memshare.apply.ThreadCluster;
import org.memshare.registry.MemShare;
import org.memshare.segment.SegmentDirectory;

/**
 * The training run for the workers' ahead-of-time cache: {@code ./memshare} runs it once after each
 * build with {@code -XX:AOTCacheOutput}, so the classes and method profiles of a typical job (the
 * mutual-information ranking and a column statistic over shared memory) are recorded. Not a verb:
 * the launcher calls this class directly.
 */
final class WorkerTraining {
    private WorkerTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Files.createTempDirectory(SegmentDirectory.configured(), "memshare-training-");
        MemShare memShare = MemShare.forDirectory(directory);
        try (ThreadCluster cluster = Cluster.threads(1, memShare)) {
            SyntheticData data = SyntheticData.register(memShare, "training", "X", 10_000, 80, 4, 5, 1);
            FeatureRanking.score(cluster, "training", "X", data.featureNames(), false, data.target(), true,
                (done, total) -> { }, 0, 80);
            List<Double> sums = Apply.memApply("X").namespace("training").rows().cluster(cluster)
                .run((row, vars) -> row.sum());
            if (sums.size() != 10_000) {
                throw new IllegalStateException("training run gave rows=" + sums.size());
            }
        } finally {
            memShare.releaseNamespace("training");
            Files.deleteIfExists(directory);
        }
    }
}

package org.memshare.cli;

import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.memshare.apply.Cluster;
import org.memshare.apply.ProcessCluster;
import org.memshare.format.ElementType;
import org.memshare.format.Shape;
import org.memshare.registry.MemShare;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code memshare select --input FILE --target COLUMN}: ranks the features of a CSV or binary matrix
 * file by mutual information with a target column. The features go straight from the file into
 * shared memory (the file may be larger than the heap); worker JVMs receive only their names.
 */
@Command(name = "select", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Rank the columns of a CSV or binary matrix file by mutual information with a target column.",
        "Features go from the file straight into shared memory (the file may be larger than the heap);"
            + " worker JVMs receive only their names."})
final class SelectCommand implements Verb {
    @Mixin
    private ReportOptions report;

    @Option(names = "--input", required = true, paramLabel = "FILE",
        description = "CSV file with a header row, or a binary matrix file.")
    private Path input;

    @Option(names = "--target", required = true, paramLabel = "COLUMN", description = "The target column.")
    private String targetName;

    @Option(names = "--discrete-target", description = "The target holds classes (numbers or text labels).")
    private boolean discreteTarget;

    @Option(names = "--discrete-features", split = ",", paramLabel = "COLUMN",
        description = "Feature columns that hold classes, comma-separated.")
    private List<String> discreteFeatures = new ArrayList<>();

    @Option(names = "--workers", paramLabel = "N", description = "Worker JVMs (default: one per core, at most one per feature).")
    private Integer workers;

    @Option(names = "--top", paramLabel = "K", description = "Features to print (default: 20, all with --json).")
    private Integer top;

    @Override
    public Integer call() {
        int workerCount = workers == null ? Workers.defaultCount() : workers;
        if (workerCount < 1) {
            throw new UsageException("--workers must be at least 1: workers=" + workerCount);
        }
        if (top != null && top < 1) {
            throw new UsageException("--top must be at least 1: top=" + top);
        }
        MatrixFile file = MatrixFile.probe(input);
        int targetIndex = file.columnIndex(targetName);
        Set<String> discreteNames = new LinkedHashSet<>();
        for (String name : discreteFeatures) {
            if (!name.isBlank()) {
                discreteNames.add(name.trim());
            }
        }
        List<Integer> continuous = new ArrayList<>();
        List<Integer> discrete = new ArrayList<>();
        for (String name : discreteNames) {
            int index = file.columnIndex(name);
            if (index == targetIndex) {
                throw new IllegalArgumentException("the target cannot also be a feature: column=" + name);
            }
        }
        for (int j = 0; j < file.ncol(); j++) {
            if (j != targetIndex) {
                (discreteNames.contains(file.columnNames().get(j)) ? discrete : continuous).add(j);
            }
        }
        if (continuous.isEmpty() && discrete.isEmpty()) {
            throw new IllegalArgumentException("no feature columns besides the target: path=" + input);
        }
        if (file.nrow() == 0) {
            throw new IllegalArgumentException("file has no data rows: path=" + input);
        }
        // A discrete target may hold text labels (yes/no, class names); a continuous one must be numeric.
        MatrixFile.ClassColumn classes = discreteTarget ? file.readClasses(targetIndex) : null;
        double[] target = discreteTarget ? classes.codes() : file.readColumn(targetIndex);
        if (Arrays.stream(target).noneMatch(Double::isFinite)) {
            throw new IllegalArgumentException("target column has no values (all missing): column=" + targetName);
        }
        int shown = top != null ? top : report.json() ? continuous.size() + discrete.size() : 20;

        String namespace = "select" + ProcessHandle.current().pid();
        MemShare memShare = MemShare.system();
        long start = System.nanoTime();
        try {
            register(memShare, namespace, "X", file, continuous, false);
            register(memShare, namespace, "XD", file, discrete, true);
            report.note("loaded %s: %,d rows, %d continuous and %d discrete features into shared memory in %.2f s%n",
                input, file.nrow(), continuous.size(), discrete.size(), (System.nanoTime() - start) / 1e9);
            if (classes != null && !classes.labels().isEmpty()) {
                report.note("target classes: %s%n", classes.labels());
            }
            List<FeatureRanking.Score> scores = new ArrayList<>();
            long total = continuous.size() + discrete.size();
            // More workers than features would only start JVMs that get no work.
            int started = (int) Math.min(workerCount, total);
            try (ProcessCluster cluster = Cluster.processes(started, memShare)) {
                ProgressBar bar = report.progress("ranking features");
                if (!continuous.isEmpty()) {
                    scores.addAll(FeatureRanking.score(cluster, namespace, "X", names(file, continuous), false, target,
                        discreteTarget, bar, 0, total));
                }
                if (!discrete.isEmpty()) {
                    scores.addAll(FeatureRanking.score(cluster, namespace, "XD", names(file, discrete), true, target,
                        discreteTarget, bar, continuous.size(), total));
                }
                bar.finish();
            }
            List<FeatureRanking.Score> ranked = FeatureRanking.ranked(scores).subList(0, (int) Math.min(shown, total));
            if (report.json()) {
                report.printJson(new Reports.Selection(targetName, ranked.stream().map(Reports.Feature::of).toList()));
            } else {
                PrintWriter out = report.out();
                out.printf("features ranked by mutual information with %s (nats):%n", targetName);
                for (int k = 0; k < ranked.size(); k++) {
                    out.printf("  %3d. %-24s %.6f%n", k + 1, ranked.get(k).name(), ranked.get(k).mi());
                }
                out.printf("%d features in %.2f s on %d worker JVM(s)%n", total, (System.nanoTime() - start) / 1e9,
                    started);
            }
            return 0;
        } finally {
            memShare.releaseNamespace(namespace);
        }
    }

    /**
     * Streams the chosen columns into a shared matrix. Discrete columns may hold text labels, coded
     * like the target's (one pass over the file per discrete column).
     */
    private static void register(MemShare memShare, String namespace, String name, MatrixFile file, List<Integer> columns,
                                 boolean discrete) {
        if (columns.isEmpty()) {
            return;
        }
        int[] chosen = columns.stream().mapToInt(Integer::intValue).toArray();
        memShare.register(namespace, name, Shape.matrix(ElementType.DOUBLE, file.nrow(), chosen.length), data -> {
            if (!discrete) {
                file.copyColumnsInto(data, chosen);
                return;
            }
            for (int k = 0; k < chosen.length; k++) {
                double[] codes = file.readClasses(chosen[k]).codes();
                MemorySegment.copy(MemorySegment.ofArray(codes), 0, data, k * file.nrow() * Double.BYTES,
                    codes.length * (long) Double.BYTES);
            }
        });
    }

    private static List<String> names(MatrixFile file, List<Integer> columns) {
        return columns.stream().map(j -> file.columnNames().get(j)).toList();
    }
}

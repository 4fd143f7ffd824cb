package org.memshare.cli;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.memshare.apply.Cluster;
import org.memshare.apply.ProcessCluster;
import org.memshare.format.ElementType;
import org.memshare.format.Shape;
import org.memshare.registry.MemShare;

/**
 * {@code memshare select --input FILE --target COLUMN}: ranks the features of a CSV or binary matrix
 * file by mutual information with a target column. The features go straight from the file into
 * shared memory (the file may be larger than the heap); worker JVMs receive only their names.
 */
final class SelectCommand implements Command {
    @Override
    public String verb() {
        return "select";
    }

    @Override
    public String summary() {
        return "--input FILE --target COLUMN [--discrete-target] [--discrete-features A,B] [--workers N] [--top K] [--json]";
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("input", "target", "discrete-features", "workers", "top");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("discrete-target", "json");
    }

    @Override
    public int run(Arguments args, PrintStream out, PrintStream err) {
        if (!args.positionals().isEmpty()) {
            throw new UsageException("unexpected argument: " + args.positionals().getFirst());
        }
        Path input = Path.of(args.required("input"));
        String targetName = args.required("target");
        int workers = args.intOption("workers", Cluster.defaultSize());
        if (workers < 1) {
            throw new UsageException("--workers must be at least 1: workers=" + workers);
        }
        boolean json = args.flag("json");
        PrintStream log = json ? err : out;
        MatrixFile file = MatrixFile.probe(input);
        int targetIndex = file.columnIndex(targetName);
        Set<String> discreteNames = new LinkedHashSet<>();
        args.option("discrete-features").ifPresent(list -> {
            for (String name : list.split(",")) {
                if (!name.isBlank()) {
                    discreteNames.add(name.trim());
                }
            }
        });
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
        boolean discreteTarget = args.flag("discrete-target");
        // A discrete target may hold text labels (yes/no, class names); a continuous one must be numeric.
        MatrixFile.ClassColumn classes = discreteTarget ? file.readClasses(targetIndex) : null;
        double[] target = discreteTarget ? classes.codes() : file.readColumn(targetIndex);
        if (Arrays.stream(target).noneMatch(Double::isFinite)) {
            throw new IllegalArgumentException("target column has no values (all missing): column=" + targetName);
        }
        int top = args.intOption("top", json ? continuous.size() + discrete.size() : 20);
        if (top < 1) {
            throw new UsageException("--top must be at least 1: top=" + top);
        }

        String namespace = "select" + ProcessHandle.current().pid();
        MemShare memShare = MemShare.system();
        long start = System.nanoTime();
        try {
            register(memShare, namespace, "X", file, continuous, false);
            register(memShare, namespace, "XD", file, discrete, true);
            log.printf("loaded %s: %,d rows, %d continuous and %d discrete features into shared memory in %.2f s%n",
                input, file.nrow(), continuous.size(), discrete.size(), (System.nanoTime() - start) / 1e9);
            if (classes != null && !classes.labels().isEmpty()) {
                log.printf("target classes: %s%n", classes.labels());
            }
            List<FeatureRanking.Score> scores = new ArrayList<>();
            long total = continuous.size() + discrete.size();
            // More workers than features would only start JVMs that get no work.
            try (ProcessCluster cluster = Cluster.processes((int) Math.min(workers, total), memShare)) {
                ProgressBar bar = new ProgressBar(log, "ranking features");
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
            List<FeatureRanking.Score> ranked = FeatureRanking.ranked(scores).subList(0, (int) Math.min(top, total));
            if (json) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("target", targetName);
                result.put("features", ranked.stream().map(s -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("name", s.name());
                    row.put("mi", s.mi());
                    return row;
                }).toList());
                out.println(Json.write(result));
            } else {
                out.printf("features ranked by mutual information with %s (nats):%n", targetName);
                for (int k = 0; k < ranked.size(); k++) {
                    out.printf("  %3d. %-24s %.6f%n", k + 1, ranked.get(k).name(), ranked.get(k).mi());
                }
                out.printf("%d features in %.2f s on %d worker JVM(s)%n", total, (System.nanoTime() - start) / 1e9,
                    Math.min(workers, total));
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

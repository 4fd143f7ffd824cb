package org.memshare.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Consumer;
import org.memshare.apply.Cluster;
import org.memshare.format.ElementType;
import org.memshare.format.Shape;
import org.memshare.io.ClassColumn;
import org.memshare.io.MatrixFile;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.registry.VectorView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code memshare select}: ranks features by mutual information with a target, either the columns of
 * a matrix file ({@code --input FILE}: streamed into shared memory, so the file may be larger than the
 * heap) or those of a matrix another process already registered ({@code --namespace NS --name X}: no
 * copy at all). Worker JVMs receive only the matrix's name. The ranking goes to standard output, and
 * on request to a CSV table ({@code --output}) and a bar chart ({@code --plot}).
 */
@Command(name = "select", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Rank features by mutual information with a target: the columns of a matrix file (--input), or of"
        + " a matrix already in shared memory (--namespace NS --name X, no copy).",
        "Files (.npy, CSV, .csv.gz, .msm) go straight into shared memory (they may be larger than the heap);"
            + " worker JVMs receive only the matrix's name."})
final class SelectCommand implements Verb {
    @Mixin
    private ReportOptions report;

    @Mixin
    private InputOptions inputOptions;

    @Mixin
    private WorkerJvmOptions workerJvm;

    @Mixin
    private ClusterChoice clusterChoice;

    @Option(names = "--input", paramLabel = "FILE",
        description = "A matrix file: NumPy .npy, CSV with a header row (plain or .csv.gz), or a binary .msm.")
    private Path input;

    @Option(names = "--namespace", paramLabel = "NS", description = "Namespace of a shared matrix to rank (with --name).")
    private String namespace;

    @Option(names = "--name", paramLabel = "X", description = "A shared matrix registered by any process (with --namespace).")
    private String name;

    @Option(names = "--target", paramLabel = "COLUMN",
        description = "The target column: a name, or an index counted from 1.")
    private String targetColumn;

    @Option(names = "--target-variable", paramLabel = "VAR",
        description = "With --namespace: a separately registered vector in the same namespace as the target.")
    private String targetVariable;

    @Option(names = "--discrete-target", description = "The target holds classes (numbers, or text labels in a file).")
    private boolean discreteTarget;

    @Option(names = "--discrete-features", split = ",", paramLabel = "COLUMN",
        description = "Feature columns that hold classes, comma-separated.")
    private List<String> discreteFeatures = new ArrayList<>();

    @Option(names = "--workers", paramLabel = "N",
        description = "Worker JVMs, or threads of this JVM with --cluster threads (default: one worker JVM with a thread"
            + " per core, or a thread per core; at most one thread per feature).")
    private Integer workers;

    @Option(names = "--top", paramLabel = "K", description = "Features to print and plot (default: 20, all with --json).")
    private Integer top;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the whole ranking as CSV: name,mi,rank.")
    private Path output;

    @Option(names = "--plot", paramLabel = "FILE", description = "Also draw the top K features as a bar chart (PNG).")
    private Path plot;

    @Option(names = "--spark", paramLabel = "MASTER",
        description = {"Rank on Apache Spark: local-cluster[N,cores,mb], spark://host:port, or any master URL"
            + " spark-submit takes. Each host loads the file once into shared memory; it must be readable at the"
            + " same path on every host. ./memshare builds the Spark module the first time."})
    private String sparkMaster;

    @Option(names = "--r-layout",
        description = "With --spark: each host also publishes the data in R memshare's layout while the job runs"
            + " (namespace printed as R namespace), for R processes there to attach.")
    private boolean rLayout;

    @Override
    public Integer call() throws Exception {
        Workers.of(workers, workerJvm.threadsPerWorker(), 1); // bad counts are usage errors before any file is read
        clusterChoice.kind(); // a bad --cluster is a usage error before any file is read
        if (top != null && top < 1) {
            throw new UsageException("--top must be at least 1: top=" + top);
        }
        boolean shared = namespace != null || name != null;
        if (shared == (input != null)) {
            throw new UsageException("give either --input FILE or --namespace NS --name X");
        }
        if (shared && (namespace == null || name == null)) {
            throw new UsageException("--namespace and --name go together");
        }
        if ((targetColumn == null) == (targetVariable == null)) {
            throw new UsageException("give either --target COLUMN or --target-variable VAR");
        }
        if (sparkMaster != null && shared) {
            throw new UsageException("--spark ranks a file: use it with --input, not with --namespace/--name");
        }
        if (sparkMaster != null && (workers != null || workerJvm.given()
            || clusterChoice.kind() != ClusterChoice.Placement.AUTO)) {
            throw new UsageException("--spark runs on the application's executors: --workers, --threads-per-worker and"
                + " --worker-jvm-option apply to local worker JVMs only, --cluster to a local ranking");
        }
        if (rLayout && sparkMaster == null) {
            throw new UsageException("--r-layout publishes the Spark hosts' copies for R: use it with --spark"
                + " (to share a file with R locally: memshare load FILE --r-layout)");
        }
        if (targetVariable != null && !shared) {
            throw new UsageException("--target-variable names a shared vector: use it with --namespace and --name");
        }
        long start = System.nanoTime();
        MemShare memShare = MemShare.system();
        Ranking ranking = shared ? rankShared(memShare) : rankFile(memShare);
        List<FeatureRanking.Score> ranked = FeatureRanking.ranked(ranking.scores());
        int shown = (int) Math.min(top != null ? top : report.json() ? ranked.size() : 20, ranked.size());
        if (output != null) {
            RankingTable.write(output, ranked);
            report.note("ranking written to %s%n", output);
        }
        if (plot != null) {
            RankingPlot.write(plot, ranking.target(), ranked.subList(0, Math.min(ranked.size(), top != null ? top : 20)));
            report.note("plot written to %s%n", plot);
        }
        if (report.json()) {
            report.printJson(new Reports.Selection(ranking.target(),
                ranked.subList(0, shown).stream().map(Reports.Feature::of).toList()));
        } else {
            PrintWriter out = report.out();
            out.printf("features ranked by mutual information with %s (nats):%n", ranking.target());
            for (int k = 0; k < shown; k++) {
                out.printf("  %3d. %-24s %.6f%n", k + 1, ranked.get(k).name(), ranked.get(k).mi());
            }
            out.printf("%d features in %.2f s %s%n", ranked.size(), (System.nanoTime() - start) / 1e9, ranking.where());
        }
        return 0;
    }

    /**
     * @param target the target's name as printed
     * @param scores every feature's score, in any order
     * @param where where it ran, for the summary line ("on 2 worker JVM(s)")
     */
    private record Ranking(String target, List<FeatureRanking.Score> scores, String where) {
    }

    /** Streams the file's feature columns into a private namespace, ranks them, releases them. */
    private Ranking rankFile(MemShare memShare) throws Exception {
        MatrixFile file = MatrixFile.open(input, inputOptions.readOptions());
        int targetIndex = columnIndex(file.columnNames(), targetColumn, input.toString());
        Set<String> discreteNames = discreteNames(file.columnNames(), targetIndex, input.toString());
        List<Integer> continuous = new ArrayList<>();
        List<Integer> discrete = new ArrayList<>();
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
        if (sparkMaster != null) {
            double[] target = readTarget(file, targetIndex, file.readClasses(targetIndex));
            return new Ranking(file.columnNames().get(targetIndex), scoreOnSpark(file, continuous, discrete, target),
                "on Spark (" + sparkMaster + ")");
        }
        String privateNamespace = "select" + ProcessHandle.current().pid();
        long start = System.nanoTime();
        long total = continuous.size() + discrete.size();
        // Worker JVMs start while this one reads the file: their start-up is off the critical path.
        try (Cluster cluster = clusterChoice.start(workers, total, file.nrow() * total, memShare, workerJvm)) {
            // One pass over the file for the continuous features and the target.
            ClassColumn[] classes = new ClassColumn[1];
            register(memShare, privateNamespace, "X", file, continuous, data ->
                classes[0] = file.copyColumnsReadingClasses(data, ElementType.DOUBLE, toArray(continuous), targetIndex));
            double[] target = readTarget(file, targetIndex, classes[0] != null ? classes[0] : file.readClasses(targetIndex));
            // Discrete columns may hold text labels, coded like the target's.
            register(memShare, privateNamespace, "XD", file, discrete, data -> file.copyClassCodesInto(data, toArray(discrete)));
            report.note("loaded %s: %,d rows, %d continuous and %d discrete features into shared memory in %.2f s%n",
                input, file.nrow(), continuous.size(), discrete.size(), (System.nanoTime() - start) / 1e9);
            List<FeatureRanking.Score> scores = new ArrayList<>();
            ProgressBar bar = report.progress("ranking features");
            if (!continuous.isEmpty()) {
                scores.addAll(FeatureRanking.score(cluster, privateNamespace, "X", names(file, continuous), false,
                    target, discreteTarget, bar, 0, total));
            }
            if (!discrete.isEmpty()) {
                scores.addAll(FeatureRanking.score(cluster, privateNamespace, "XD", names(file, discrete), true,
                    target, discreteTarget, bar, continuous.size(), total));
            }
            bar.finish();
            return new Ranking(file.columnNames().get(targetIndex), scores, ClusterChoice.where(cluster));
        } finally {
            memShare.releaseNamespace(privateNamespace);
        }
    }

    /**
     * The target from its column read as classes: a discrete target may hold text labels (yes/no,
     * class names); a continuous one must be numeric, and reading it as numbers names the bad cell.
     */
    private double[] readTarget(MatrixFile file, int targetIndex, ClassColumn classes) {
        if (discreteTarget && !classes.labels().isEmpty()) {
            report.note("target classes: %s%n", classes.labels());
        }
        return checkedTarget(discreteTarget || classes.labels().isEmpty() ? classes.codes() : file.readColumn(targetIndex));
    }

    /** The same function on Spark, through the engine the Spark module contributes. */
    private List<FeatureRanking.Score> scoreOnSpark(MatrixFile file, List<Integer> continuous, List<Integer> discrete,
                                                    double[] target) throws Exception {
        RankingEngine engine = ServiceLoader.load(RankingEngine.class, SelectCommand.class.getClassLoader()).stream()
            .map(ServiceLoader.Provider::get).filter(e -> e.name().equals("spark")).findFirst()
            .orElseThrow(() -> new IllegalStateException("--spark needs the memshare-spark module on the class path:"
                + " run it through ./memshare, which builds that module the first time --spark is used"));
        ProgressBar bar = report.progress("ranking features on Spark");
        List<Double> values = engine.score(new RankingEngine.Job(sparkMaster, input, inputOptions.readOptions(),
            toArray(continuous), toArray(discrete), target, discreteTarget, rLayout, report::note), bar);
        bar.finish();
        List<String> names = new ArrayList<>(names(file, continuous));
        names.addAll(names(file, discrete));
        return FeatureRanking.scores(names, values);
    }

    /**
     * Ranks the columns of a matrix another process registered, where it is: the workers view it by
     * name. The target is one of its columns (scored too, then left out) or a shared vector.
     */
    private Ranking rankShared(MemShare memShare) {
        try (MatrixView matrix = memShare.retrieveMatrix(namespace, name)) {
            List<String> columns = matrix.columnNames().isEmpty()
                ? MatrixFile.defaultNames(matrix.ncol()) : matrix.columnNames();
            String where = "variable=" + matrix.name();
            int targetIndex = -1;
            double[] target;
            String targetName;
            if (targetVariable != null) {
                try (VectorView vector = memShare.retrieveVector(namespace, targetVariable)) {
                    if (vector.length() != matrix.nrow()) {
                        throw new IllegalArgumentException("target vector length does not match the matrix rows: target="
                            + vector.name() + ", length=" + vector.length() + ", " + where + ", nrow=" + matrix.nrow());
                    }
                    target = vector.toDoubleArray();
                }
                targetName = targetVariable;
            } else {
                targetIndex = columnIndex(columns, targetColumn, where);
                target = matrix.column(targetIndex).toDoubleArray();
                targetName = columns.get(targetIndex);
            }
            checkedTarget(target);
            Set<String> discreteNames = discreteNames(columns, targetIndex, where);
            long features = matrix.ncol() - (targetIndex >= 0 ? 1 : 0);
            if (features < 1 || matrix.nrow() == 0) {
                throw new IllegalArgumentException("nothing to rank: " + where + ", nrow=" + matrix.nrow()
                    + ", features=" + features);
            }
            report.note("ranking %s.%s in place: %,d rows x %d columns of %s%n", namespace, name, matrix.nrow(),
                matrix.ncol(), matrix.elementType().label());
            boolean anyContinuous = discreteNames.size() < features;
            long total = (anyContinuous ? matrix.ncol() : 0) + (discreteNames.isEmpty() ? 0 : matrix.ncol());
            try (Cluster cluster = clusterChoice.start(workers, matrix.ncol(), matrix.nrow() * matrix.ncol(), memShare, workerJvm)) {
                List<FeatureRanking.Score> scores = new ArrayList<>();
                ProgressBar bar = report.progress("ranking features");
                // Every column is scored in one pass per feature kind (the workers see the matrix whole).
                List<FeatureRanking.Score> asContinuous = anyContinuous
                    ? FeatureRanking.score(cluster, namespace, name, columns, false, target, discreteTarget, bar, 0, total)
                    : null;
                List<FeatureRanking.Score> asDiscrete = discreteNames.isEmpty() ? null
                    : FeatureRanking.score(cluster, namespace, name, columns, true, target, discreteTarget, bar,
                        anyContinuous ? matrix.ncol() : 0, total);
                bar.finish();
                for (int j = 0; j < columns.size(); j++) {
                    if (j != targetIndex) {
                        scores.add((discreteNames.contains(columns.get(j)) ? asDiscrete : asContinuous).get(j));
                    }
                }
                return new Ranking(targetName, scores, ClusterChoice.where(cluster));
            }
        }
    }

    /**
     * Finds a column by name, or else by its number counted from 1.
     *
     * @throws IllegalArgumentException when there is neither
     */
    static int columnIndex(List<String> columns, String column, String where) {
        int index = columns.indexOf(column);
        if (index >= 0) {
            return index;
        }
        if (column.matches("[0-9]{1,9}")) {
            int number = Integer.parseInt(column);
            if (number >= 1 && number <= columns.size()) {
                return number - 1;
            }
        }
        throw new IllegalArgumentException("no such column: column=" + column + ", " + where + ", columns="
            + (columns.size() <= 20 ? columns : columns.subList(0, 20) + "...") + " (or an index from 1 to "
            + columns.size() + ")");
    }

    private Set<String> discreteNames(List<String> columns, int targetIndex, String where) {
        Set<String> names = new LinkedHashSet<>();
        Set<String> known = new HashSet<>(columns);
        for (String given : discreteFeatures) {
            String column = given.trim();
            if (column.isEmpty()) {
                continue;
            }
            int index = known.contains(column) ? columns.indexOf(column) : columnIndex(columns, column, where);
            if (index == targetIndex) {
                throw new IllegalArgumentException("the target cannot also be a feature: column=" + column);
            }
            names.add(columns.get(index));
        }
        return names;
    }

    private double[] checkedTarget(double[] target) {
        if (Arrays.stream(target).noneMatch(Double::isFinite)) {
            throw new IllegalArgumentException("target has no values (all missing): target="
                + (targetColumn != null ? targetColumn : targetVariable));
        }
        return target;
    }

    /** Streams the chosen columns into a shared matrix, unless there are none. */
    private static void register(MemShare memShare, String namespace, String name, MatrixFile file, List<Integer> columns,
                                 Consumer<MemorySegment> copy) {
        if (!columns.isEmpty()) {
            memShare.register(namespace, name, Shape.matrix(ElementType.DOUBLE, file.nrow(), columns.size()), copy);
        }
    }

    private static int[] toArray(List<Integer> columns) {
        return columns.stream().mapToInt(Integer::intValue).toArray();
    }

    private static List<String> names(MatrixFile file, List<Integer> columns) {
        return columns.stream().map(j -> file.columnNames().get(j)).toList();
    }
}

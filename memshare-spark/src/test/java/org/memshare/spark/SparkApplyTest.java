package org.memshare.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.apply.Apply;
import org.memshare.apply.Cluster;
import org.memshare.apply.MarginFunction;
import org.memshare.cli.FeatureRanking;
import org.memshare.io.ReadOptions;
import org.memshare.registry.SegmentCensus;
import org.memshare.registry.UnknownVariableException;
import org.memshare.registry.VectorView;
import org.memshare.testing.Command;

/**
 * memApply and memLapply on a real Spark cluster of two executor JVMs on this host: one shared copy,
 * both executors computing, the local results exactly, releases on the hosts, and bad input refused on
 * the driver with clear messages.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SparkApplyTest {
    private static final double[][] ROWS = TestCluster.matrix(300, 48, 7);

    private static TestCluster cluster;
    private static Path csv;

    @BeforeAll
    static void startCluster(@TempDir Path files) throws Exception {
        csv = TestCluster.writeCsv(files.resolve("x.csv"), ROWS);
        cluster = new TestCluster("SparkApplyTest");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static double sd(VectorView v) {
        double mean = v.sum() / v.length();
        double s = 0;
        for (long i = 0; i < v.length(); i++) {
            s += (v.get(i) - mean) * (v.get(i) - mean);
        }
        return Math.sqrt(s / (v.length() - 1));
    }

    private static <R> List<R> local(Object x, boolean rows, MarginFunction<R> function, Object w) {
        try (Cluster threads = Cluster.threads(2)) {
            var call = Apply.memApply(x).cluster(threads);
            if (w != null) {
                call.var("w", w);
            }
            return (rows ? call.rows() : call.columns()).run(function);
        }
    }

    @Test
    void columnsOnBothExecutorsFromOneCopyPerHostEqualTheLocalRun() {
        try (SparkShare share = SparkShare.open(cluster.sc)) {
            share.register("X", SparkSource.file(csv.toString()));
            List<double[]> results = share.memApply("X").columns().tasks(12).run((column, vars) -> {
                Thread.sleep(40); // long enough that both executors get tasks
                return new double[] {sd(column), ProcessHandle.current().pid()};
            });
            List<Double> expected = local(ROWS, false, (column, vars) -> sd(column), null);
            assertEquals(ROWS[0].length, results.size());
            Set<Long> pids = new HashSet<>();
            for (int j = 0; j < results.size(); j++) {
                assertEquals(expected.get(j), results.get(j)[0], 0.0, "column " + j);
                pids.add((long) results.get(j)[1]);
            }
            assertEquals(2, pids.size(), "both executors computed tasks: pids=" + pids);

            List<SegmentCensus.Entry> copies = cluster.segments(share.namespace());
            assertEquals(1, copies.size(), "one copy on the host: " + copies);
            assertTrue(pids.contains(copies.getFirst().owner().pid()), "an executor loaded it: " + copies);

            // A second call reuses the host's copy: still one, same owner.
            List<Double> again = share.memApply("X").columns().run((column, vars) -> sd(column));
            assertEquals(expected, again);
            assertEquals(copies, cluster.segments(share.namespace()));
        }
    }

    @Test
    void rowsWithVariablesEqualTheLocalRun() {
        double[] w = new double[ROWS[0].length];
        for (int j = 0; j < w.length; j++) {
            w[j] = 1.0 / (j + 1);
        }
        MarginFunction<Double> dot = (row, vars) -> {
            VectorView weights = vars.vector("w");
            double s = 0;
            for (long j = 0; j < row.length(); j++) {
                s += row.get(j) * weights.get(j);
            }
            return s;
        };
        List<Double> spark = SparkApply.memApply(cluster.sc, SparkSource.file(csv.toString())).rows().var("w", w).run(dot);
        assertEquals(local(ROWS, true, dot, w), spark);
    }

    @Test
    void listsFromDriverDataEqualTheLocalRun() {
        List<double[]> list = new ArrayList<>();
        for (int k = 0; k < 25; k++) {
            list.add(ROWS[k]);
        }
        List<Double> spark = SparkApply.memLapply(cluster.sc, list).run((element, vars) -> ((VectorView) element).sum());
        List<Double> expected;
        try (Cluster threads = Cluster.threads(2)) {
            expected = Apply.memLapply(list).cluster(threads).run((element, vars) -> ((VectorView) element).sum());
        }
        assertEquals(expected, spark);
    }

    @Test
    void closingAShareUnlinksItsCopiesOnTheHost() {
        SparkShare share = SparkShare.open(cluster.sc);
        share.register("X", SparkSource.file(csv.toString())).register("y", SparkSource.data(new double[] {1, 2, 3}));
        share.memApply("X").columns().vars("y").run((column, vars) -> vars.vector("y").sum());
        assertEquals(2, cluster.segments(share.namespace()).size());
        share.release("y");
        assertEquals(List.of("X"), cluster.segments(share.namespace()).stream().map(e -> e.name().variable()).toList());
        share.close();
        assertEquals(List.of(), cluster.segments(share.namespace()));
        assertThrows(IllegalStateException.class, () -> share.memApply("X"));
    }

    @Test
    void aSourceAHostCannotReadFailsOnTheDriverNamingIt(@TempDir Path files) throws Exception {
        IllegalArgumentException onDriver = assertThrows(IllegalArgumentException.class,
            () -> SparkApply.memApply(cluster.sc, SparkSource.file(files.resolve("absent.csv").toString()))
                .run((column, vars) -> 0));
        assertTrue(onDriver.getMessage().contains("source cannot be read on the driver"), onDriver.getMessage());

        Path vanishing = TestCluster.writeCsv(files.resolve("vanishing.csv"), ROWS);
        try (SparkShare share = SparkShare.open(cluster.sc)) {
            share.register("X", SparkSource.file(vanishing.toString()));
            Files.delete(vanishing); // the driver saw it; the hosts will not
            SparkApplyException onHost = assertThrows(SparkApplyException.class,
                () -> share.memApply("X").run((column, vars) -> 0));
            assertTrue(onHost.getMessage().contains("source cannot be read on this host: path=" + vanishing),
                onHost.getMessage());
            assertEquals(List.of(), cluster.segments(share.namespace()));
        }
    }

    @Test
    void aFunctionThatIsNotSerializableIsRefusedOnTheDriver() {
        Object notSerializable = new Object();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SparkApply.memApply(cluster.sc, ROWS).run((column, vars) -> notSerializable.hashCode()));
        assertTrue(e.getMessage().startsWith("function is not serializable: notSerializable=java.lang.Object"), e.getMessage());
    }

    @Test
    void aNameThatIsNotRegisteredIsRefusedOnTheDriver() {
        try (SparkShare share = SparkShare.open(cluster.sc)) {
            share.register("X", ROWS);
            UnknownVariableException x = assertThrows(UnknownVariableException.class,
                () -> share.memApply("Y").run((column, vars) -> 0));
            assertTrue(x.getMessage().contains("variable=Y") && x.getMessage().contains("names=[X]"), x.getMessage());
            UnknownVariableException var = assertThrows(UnknownVariableException.class,
                () -> share.memApply("X").vars("weights").run((column, vars) -> 0));
            assertTrue(var.getMessage().contains("variable=weights"), var.getMessage());
        }
    }

    @Test
    void whatRsLayoutCannotHoldIsRefusedOnTheDriver() {
        try (SparkShare share = SparkShare.open(cluster.sc).publishInRLayout()) {
            IllegalArgumentException list = assertThrows(IllegalArgumentException.class,
                () -> share.register("L", List.of(new double[] {1}, new double[] {2, 3})));
            assertTrue(list.getMessage().contains("R memshare's layout holds double vectors and matrices only")
                && list.getMessage().contains("variable=L") && list.getMessage().contains("kind=list"), list.getMessage());
            IllegalArgumentException ints = assertThrows(IllegalArgumentException.class,
                () -> share.register("i", new int[] {1, 2}));
            assertTrue(ints.getMessage().contains("type=int"), ints.getMessage());
            assertEquals(Set.of(), share.names());
        }
    }

    @Test
    void aFailingFunctionNamesTheColumnAndHost() {
        SparkApplyException e = assertThrows(SparkApplyException.class,
            () -> SparkApply.memApply(cluster.sc, ROWS).columns().run((column, vars) -> {
                if (column.get(0) == ROWS[0][5]) {
                    throw new IllegalStateException("bad column");
                }
                return 1;
            }));
        assertTrue(e.getMessage().contains("function failed: column=5") && e.getMessage().contains("bad column")
            && e.getMessage().contains("host="), e.getMessage());
    }

    @Test
    void theFeatureRankingReportsProgressAndEqualsTheLocalFunction() {
        int[] continuous = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        double[] target = new double[ROWS.length];
        for (int i = 0; i < target.length; i++) {
            target[i] = ROWS[i][0] + ROWS[i][3];
        }
        CopyOnWriteArrayList<Long> done = new CopyOnWriteArrayList<>();
        List<Double> spark;
        try (SparkShare share = SparkShare.open(cluster.sc)) {
            spark = SparkFeatureRanking.score(share, csv.toString(), ReadOptions.defaults(), continuous, new int[0], target, false,
                (items, total) -> {
                    assertEquals(continuous.length, total);
                    done.add(items);
                });
        }
        double[][] features = new double[ROWS.length][continuous.length];
        for (int i = 0; i < ROWS.length; i++) {
            for (int k = 0; k < continuous.length; k++) {
                features[i][k] = ROWS[i][continuous[k]];
            }
        }
        List<Double> expected;
        try (Cluster threads = Cluster.threads(2)) {
            expected = Apply.memApply(features).columns().cluster(threads).var("target", target)
                .run(FeatureRanking.mutualInformation(false, false));
        }
        assertEquals(expected, spark);
        assertTrue(!done.isEmpty() && done.getLast() == continuous.length, "progress: " + done);
    }

    /**
     * While a job runs (its tasks wait for a go file), a Python process on the host attaches the host's
     * copy by name without copying, and an independent reader of R memshare's layout (plain file reads
     * and {@code struct}, not this library) finds the R copy holding the same bytes.
     */
    @Test
    void pythonAndAnRReaderAttachTheHostsCopiesWhileTheJobRuns(@TempDir Path files) throws Exception {
        String go = files.resolve("go").toString();
        List<Double> expected = local(ROWS, false, (column, vars) -> sd(column), null);
        String namespace;
        String rNamespace;
        try (SparkShare share = SparkShare.open(cluster.sc).publishInRLayout()) {
            namespace = share.namespace();
            rNamespace = share.rNamespace();
            share.register("X", SparkSource.file(csv.toString()));
            CompletableFuture<List<Double>> job = CompletableFuture.supplyAsync(
                () -> share.memApply("X").columns().tasks(4).run((column, vars) -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                    while (!Files.exists(Path.of(go)) && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                    }
                    return sd(column);
                }));
            String output;
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (cluster.segments(rNamespace).isEmpty() && System.nanoTime() < deadline && !job.isDone()) {
                    Thread.sleep(100);
                }
                output = python(files, """
                    import os, struct, sys, memshare
                    ns, rns, d = sys.argv[1], sys.argv[2], sys.argv[3]
                    x = memshare.attach(ns, "X", directory=d)
                    with open(os.path.join(d, rns + ".md.X"), "rb") as f:
                        kind, nrow, ncol = struct.unpack("<i4xQQ", f.read())
                    with open(os.path.join(d, rns + ".X"), "rb") as f:
                        r = f.read()
                    print(x.shape[0], x.shape[1], x.flags.owndata, kind, nrow, ncol, r == x.tobytes(order="F"),
                          repr(float(x[7, 5])), repr(struct.unpack_from("<d", r, (5 * nrow + 7) * 8)[0]))
                    """, namespace, rNamespace, cluster.directory.toString());
                assertTrue(!job.isDone(), "the job was still running while Python and the R reader attached");
            } finally {
                Files.writeString(Path.of(go), "go");
            }
            String[] fields = output.strip().split(" ");
            assertEquals(List.of("300", "48", "False", "0", "300", "48", "True"), List.of(fields).subList(0, 7),
                "shape, a view (no copy), R's record, the same bytes: " + output);
            assertEquals(ROWS[7][5], Double.parseDouble(fields[7]), 0.0, output);
            assertEquals(ROWS[7][5], Double.parseDouble(fields[8]), 0.0, output);
            assertEquals(expected, job.get(120, TimeUnit.SECONDS));
            assertEquals(1, cluster.segments(namespace).size());
            assertEquals(1, cluster.segments(rNamespace).size(), "one R copy on the host");
        }
        assertEquals(List.of(), cluster.segments(namespace), "released on the host");
        assertEquals(List.of(), cluster.segments(rNamespace), "the R copy released with it");
    }

    /** Runs a Python script on this host with the repository's package; killed if it outlives its timeout. */
    private static String python(Path directory, String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-c", script));
        command.addAll(List.of(args));
        Command.Captured run = Command.run(command, Map.of("PYTHONPATH", TestCluster.pythonPackage().toString()),
            directory, 60);
        assertEquals(0, run.code(), run.out() + run.err());
        return run.out();
    }
}

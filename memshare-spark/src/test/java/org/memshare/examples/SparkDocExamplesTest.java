package org.memshare.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.SparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.memshare.registry.VectorView;
import org.memshare.segment.SegmentDirectory;
import org.memshare.spark.SparkApply;
import org.memshare.spark.SparkSetup;
import org.memshare.spark.SparkShare;
import org.memshare.spark.SparkSource;
import org.memshare.testing.TempShm;

/**
 * The examples of docs/SPARK.md, as the document shows them (checked by DocSnippetsTest), on a
 * {@code local[2]} application (the multi-JVM cluster is covered by the Spark module's own tests).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SparkDocExamplesTest {
    private static Path directory;
    private static Path file;
    private static SparkContext sc;

    @BeforeAll
    static void start() throws IOException {
        directory = Files.createTempDirectory(Path.of("/dev/shm"), "memshare-spark-docs-");
        System.setProperty(SegmentDirectory.PROPERTY, directory.toString());
        file = Files.createTempFile("features", ".csv");
        Files.writeString(file, "a,b\n1,10\n2,20\n3,30\n");
        sc = new SparkContext(SparkSetup.conf("local[2]", "SparkDocExamplesTest").set("spark.ui.enabled", "false"));
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            if (sc != null) {
                sc.stop();
            }
        } finally {
            System.clearProperty(SegmentDirectory.PROPERTY);
            Files.deleteIfExists(file);
            TempShm.deleteRecursively(directory);
        }
    }

    @Test
    void oneCallAtATime() {
        String path = file.toString();
        // docs:begin spark-apply
        List<Double> means = SparkApply.memApply(sc, SparkSource.file(path))   // loaded once per host
            .columns()
            .run((column, vars) -> column.sum() / column.length());            // any MarginFunction
        List<Double> sums = SparkApply.memLapply(sc, List.of(new double[] {1, 2}, new double[] {3}))
            .run((element, vars) -> ((VectorView) element).sum());               // any ElementFunction
        // docs:end spark-apply
        assertEquals(List.of(2.0, 20.0), means);
        assertEquals(List.of(3.0, 3.0), sums);
    }

    @Test
    void aShareKeepsVariablesAcrossCalls() {
        String path = file.toString();
        double[] target = {1, 0, 1};
        String printed = StandardOutput.capture(() -> {
            // docs:begin spark-share
            try (SparkShare share = SparkShare.open(sc)) {
                share.register("X", SparkSource.file(path))
                     .register("y", SparkSource.data(target));
                List<Double> sums = share.memApply("X").columns().run((column, vars) -> column.sum());
                List<Double> dots = share.memApply("X").columns().vars("y").run((column, vars) -> {
                    VectorView y = vars.vector("y");
                    double s = 0;
                    for (long i = 0; i < column.length(); i++) {
                        s += column.get(i) * y.get(i);
                    }
                    return s;
                });
                System.out.println(sums + " " + dots);   // [6.0, 60.0] [4.0, 40.0]
                share.release("y");                      // unlinked on every host now
            }                                            // close(): every variable, on every host
            // docs:end spark-share
        });
        assertEquals("[6.0, 60.0] [4.0, 40.0]", printed.strip());
    }

    @Test
    void aShareAlsoPublishedForR() throws IOException {
        String path = file.toString();
        String printed = StandardOutput.capture(() -> {
            // docs:begin spark-r-layout
            try (SparkShare share = SparkShare.open(sc).publishInRLayout()) {
                share.register("X", SparkSource.file(path));
                share.memApply("X").columns().run((column, vars) -> column.sum());   // each host loads X
                System.out.println(share.namespace() + " " + share.rNamespace());    // for Python, for R
                // … while the share is open, processes on each host attach X (see below)
            }                                                                       // both copies released
            // docs:end spark-r-layout
        });
        String[] namespaces = printed.strip().split(" ");
        assertEquals(namespaces[0] + "-r", namespaces[1]);
        try (Stream<Path> left = Files.list(directory)) {
            assertEquals(List.of(), left.filter(p -> !p.getFileName().toString().endsWith(".lock")).toList());
        }
    }
}

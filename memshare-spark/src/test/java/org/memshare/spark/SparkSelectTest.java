package org.memshare.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.cli.Main;

/**
 * {@code memshare select --spark MASTER} through the real command line: the same features in the same
 * order with the same mutual information (1e-12 relative) as the local run, a discrete feature with
 * text labels and a discrete target included. Spark runs as {@code local[2]} here (the multi-JVM
 * cluster is covered by {@link SparkApplyTest}; one cluster per class keeps CI short).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SparkSelectTest {
    @RegisterExtension
    final SegmentDirectoryProperty segments = new SegmentDirectoryProperty();

    /** A CSV with a continuous target y, twelve continuous features, a labelled feature and a class column. */
    static Path writeData(Path file) throws IOException {
        Random random = new Random(5);
        StringBuilder csv = new StringBuilder("y");
        for (int j = 0; j < 12; j++) {
            csv.append(",f").append(j);
        }
        csv.append(",colour,class\n");
        for (int i = 0; i < 600; i++) {
            double[] f = new double[12];
            for (int j = 0; j < f.length; j++) {
                f[j] = random.nextGaussian();
            }
            double y = 2 * f[0] + f[3] + random.nextGaussian() / 2;
            csv.append(y);
            for (double v : f) {
                csv.append(',').append(v);
            }
            csv.append(',').append(new String[] {"red", "green", "blue"}[(int) (Math.abs(f[5]) * 2) % 3]);
            csv.append(',').append(y > 0 ? "yes" : "no").append('\n');
        }
        return Files.writeString(file, csv);
    }

    private static JsonNode select(String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, () -> "exit code; stderr: " + err.toString(StandardCharsets.UTF_8));
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    private static void assertSameRanking(JsonNode local, JsonNode spark) {
        assertEquals(local.get("target"), spark.get("target"));
        JsonNode expected = local.get("features");
        JsonNode actual = spark.get("features");
        assertEquals(expected.size(), actual.size());
        for (int k = 0; k < expected.size(); k++) {
            assertEquals(expected.get(k).get("name").asText(), actual.get(k).get("name").asText(), "rank " + (k + 1));
            double e = expected.get(k).get("mi").asDouble();
            double a = actual.get(k).get("mi").asDouble();
            assertTrue(Math.abs(a - e) <= 1e-12 * Math.abs(e), "mi of " + expected.get(k).get("name") + ": " + a + " vs " + e);
        }
    }

    @Test
    void continuousTargetRanksAsTheLocalRun(@TempDir Path files) throws IOException {
        String input = writeData(files.resolve("data.csv")).toString();
        JsonNode local = select("select", "--input", input, "--target", "y", "--discrete-features", "colour,class",
            "--workers", "2", "--json");
        JsonNode spark = select("select", "--input", input, "--target", "y", "--discrete-features", "colour,class",
            "--spark", "local[2]", "--json");
        assertEquals(14, spark.get("features").size());
        assertSameRanking(local, spark);
    }

    @Test
    void discreteTextTargetRanksAsTheLocalRun(@TempDir Path files) throws IOException {
        String input = writeData(files.resolve("data.csv")).toString();
        JsonNode local = select("select", "--input", input, "--target", "class", "--discrete-target",
            "--discrete-features", "colour", "--workers", "2", "--json");
        JsonNode spark = select("select", "--input", input, "--target", "class", "--discrete-target",
            "--discrete-features", "colour", "--spark", "local[2]", "--json");
        assertSameRanking(local, spark);
    }
}

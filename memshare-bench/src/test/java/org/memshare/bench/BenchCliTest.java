package org.memshare.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.cli.Main;
import org.memshare.segment.SegmentDirectory;
import org.memshare.segment.StoreKind;
import org.memshare.testing.TempShm;

/** The {@code bench} verb, found by the command line through the service loader, follows its conventions. */
class BenchCliTest {
    @RegisterExtension
    final TempShm shm = TempShm.systemDirectory();
    private String previousStore;

    record BenchRun(int code, String out, String err) {
    }

    @BeforeEach
    void rememberTheStore() {
        previousStore = System.getProperty(StoreKind.PROPERTY);
    }

    @AfterEach
    void restore() {
        // --store sets the property for the rest of a run; a test run goes on.
        if (previousStore == null) {
            System.clearProperty(StoreKind.PROPERTY);
        } else {
            System.setProperty(StoreKind.PROPERTY, previousStore);
        }
    }

    private static BenchRun run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new BenchRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void benchIsAVerbWithHelpVersionAndUsageErrors() {
        assertTrue(run("--help").out().contains("  bench "), "bench is listed");
        BenchRun help = run("bench", "--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().startsWith("Usage: memshare bench") && help.out().contains("core, apply, mi"), help.out());
        BenchRun version = run("bench", "--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("memshare "), version.out());
        for (String[] args : List.of(new String[] {"bench"}, new String[] {"bench", "nope"},
            new String[] {"bench", "core", "stray"}, new String[] {"bench", "core", "--no-such-option"})) {
            BenchRun r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("memshare bench: ") && r.err().contains("Usage: memshare bench"), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    @Timeout(300)
    void quickCoreSuitePrintsItsDocumentedJsonKeysAndNothingElseOnStandardOutput() throws Exception {
        BenchRun r = run("bench", "core", "--quick", "--json");
        assertEquals(List.of(), coreKeys(r), "no larger-than-memory figures with the default store");
    }

    @Test
    @Timeout(300)
    void theFileStoreOnDiskReportsTheSameKeysPlusLargerThanMemory() throws Exception {
        Path disk = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "bench-file-store-");
        try {
            System.setProperty(SegmentDirectory.PROPERTY, disk.toString());
            BenchRun r = run("bench", "core", "--quick", "--json", "--store", "file");
            assertTrue(r.err().contains("store file in " + disk), r.err());
            List<String> extra = coreKeys(r);
            if (r.err().contains("larger than memory: skipped")) {
                assertEquals(List.of(), extra, r.err());
            } else {
                assertEquals(List.of("larger_than_memory_gbps", "larger_than_memory_read_gbps", "larger_than_memory_vs_read"),
                    extra);
            }
            BenchRun bad = run("bench", "core", "--store", "shm");
            assertEquals(2, bad.code(), bad.err());
            assertTrue(bad.err().contains("store=shm"), bad.err());
        } finally {
            TempShm.deleteRecursively(disk);
        }
    }

    /** Checks the keys every core run prints, in order, all positive numbers; @return the keys after them */
    private static List<String> coreKeys(BenchRun r) throws Exception {
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().lines().count(), "one JSON document: " + r.out());
        JsonNode figures = new ObjectMapper().readTree(r.out());
        List<String> keys = new ArrayList<>();
        figures.fieldNames().forEachRemaining(keys::add);
        List<String> expected = new ArrayList<>(List.of("register_gbps", "register_limit_gbps", "register_vs_limit"));
        if (figures.has("numpy_gbps")) {
            expected.addAll(List.of("register_vs_numpy", "numpy_gbps"));
        }
        expected.addAll(List.of("view_touch_ms", "view_us_small", "view_us_large", "view_large_vs_small",
            "open_close_us_baseline", "view_cycle_us_large"));
        if (figures.has("view_cycle_vs_python")) {
            expected.add("view_cycle_vs_python");
        }
        assertEquals(expected, keys.subList(0, Math.min(keys.size(), expected.size())));
        for (String key : keys) {
            assertTrue(figures.get(key).isNumber() && figures.get(key).asDouble() > 0, key + " in " + r.out());
        }
        assertTrue(r.err().contains("memshare register:"), "the report goes to standard error: " + r.err());
        return keys.subList(expected.size(), keys.size());
    }
}

package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.io.MatrixFile;
import org.memshare.registry.MatrixView;
import org.memshare.io.MatrixFormat;
import org.memshare.io.MsmFile;
import org.memshare.registry.MemShare;
import org.memshare.registry.Variable;
import org.memshare.segment.StoreKind;
import org.memshare.testing.ChildJvm;

/** The command line, run in-process against a test directory (and as a child JVM for {@code load}). */
class CliTest {
    @RegisterExtension
    final CliHarness cli = new CliHarness();

    @AfterEach
    void restore() {
        MemShare.forDirectory(cli.directory()).releaseNamespace("cli");
    }

    private CliHarness.CliRun run(String... args) {
        return cli.run(args);
    }

    @Test
    void lsJsonListsSegmentsWithTheDocumentedKeys() {
        MemShare.forDirectory(cli.directory()).register("cli", "m", Variable.matrix(2, 3, new double[6]));
        CliHarness.CliRun r = run("ls", "--json");
        assertEquals(0, r.code(), r.err());
        String expected = "[{\"namespace\":\"cli\",\"name\":\"m\",\"kind\":\"matrix\",\"type\":\"double\",\"shape\":[2,3],"
            + "\"bytes\":176,\"owner_pid\":" + ProcessHandle.current().pid() + ",\"owner_alive\":true,"
            + "\"layout\":\"memshare\",\"state\":\"ready\",\"store\":\"" + StoreKind.configured().label() + "\"}]";
        assertEquals(expected, r.out().strip());
        CliHarness.CliRun table = run("ls");
        assertTrue(table.out().contains("cli") && table.out().contains("2x3"), table.out());
    }

    @Test
    void showJsonSummarisesThroughAView() {
        MemShare.forDirectory(cli.directory()).register("cli", "v", new double[] {3, -1, 2.5});
        CliHarness.CliRun r = run("show", "cli", "v", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"kind\":\"vector\",\"type\":\"double\",\"shape\":[3],\"bytes\":24,\"sum\":4.5,\"min\":-1.0,\"max\":3.0,\"store\":\"" + StoreKind.configured().label() + "\"}",
            r.out().strip());
        assertTrue(MemShare.forDirectory(cli.directory()).viewList().isEmpty(), "show releases its view");
        CliHarness.CliRun text = run("show", "cli", "v");
        assertTrue(text.out().contains("sum 4.5"), text.out());
    }

    @Test
    void gcDryRunAndRealRun() {
        CliHarness.CliRun dry = run("gc", "--dry-run");
        assertEquals(0, dry.code());
        assertTrue(dry.out().contains("would reclaim 0 orphan"), dry.out());
        CliHarness.CliRun json = run("gc", "--json");
        assertEquals("[]", json.out().strip());
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertEquals(2, run().code());
        assertEquals(2, run("frobnicate").code());
        assertEquals(2, run("ls", "--bogus").code());
        CliHarness.CliRun show = run("show", "cli");
        assertEquals(2, show.code());
        assertTrue(show.err().contains("Usage: memshare show"), show.err());
        CliHarness.CliRun missing = run("show", "cli", "missing");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("variable=cli.missing"), missing.err());
        assertEquals(2, run("load", "x.csv", "--namespace", "cli").code());
        CliHarness.CliRun noFile = run("load", cli.directory().resolve("none.csv").toString(), "--namespace", "cli", "--name", "x");
        assertEquals(1, noFile.code());
        assertTrue(noFile.err().contains("no such file"), noFile.err());
    }

    @Test
    void loadHoldsACsvMatrixUntilStdinCloses() throws Exception {
        Path csv = cli.directory().resolve("data.csv");
        Files.writeString(csv, "a,b,c\n1,2,3\n4,NA,6\n");
        try (ChildJvm child = ChildJvm.start(Map.of("MEMSHARE_DIR", cli.directory().toString()), Main.class,
            "load", csv.toString(), "--namespace", "cli", "--name", "loaded")) {
            assertTrue(child.readLine().startsWith("registered cli.loaded: matrix 2 x 3 double"));
            MemShare ms = MemShare.forDirectory(cli.directory());
            try (MatrixView m = ms.retrieveMatrix("cli", "loaded")) {
                assertEquals(4.0, m.get(1, 0));
                assertTrue(Double.isNaN(m.get(1, 1)));
                assertEquals(6.0, m.get(1, 2));
            }
            child.closeInput();
            assertEquals(0, child.waitFor());
            assertFalse(ms.exists("cli", "loaded"), "released when stdin closed");
        }
    }

    @Test
    void binaryMatrixFilesRoundTripAndBadCellsNameTheirPlace() throws Exception {
        Path bin = cli.directory().resolve("data.msm");
        MsmFile.write(bin, 2, 2, List.of("x", "y"), new double[] {1, 2, 3, 4});
        MatrixFile probed = MatrixFile.open(bin);
        assertEquals(MatrixFormat.MSM, probed.format());
        assertEquals(List.of("x", "y"), probed.columnNames());
        MemShare ms = MemShare.forDirectory(cli.directory());
        probed.register(ms, "cli", "bin");
        try (MatrixView m = ms.retrieveMatrix("cli", "bin")) {
            assertEquals(3.0, m.get(0, 1));
        }
        Path bad = cli.directory().resolve("bad.csv");
        Files.writeString(bad, "a,b\n1,2\n3,oops\n");
        MatrixFile badFile = MatrixFile.open(bad);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> badFile.register(ms, "cli", "bad"));
        assertTrue(e.getMessage().contains("line=3") && e.getMessage().contains("column=2"), e.getMessage());
        assertFalse(ms.exists("cli", "bad"));
        Path empty = cli.directory().resolve("empty.csv");
        Files.writeString(empty, "");
        assertThrows(empty);
        Path ragged = cli.directory().resolve("ragged.csv");
        Files.writeString(ragged, "a,b\n1\n");
        assertThrows(ragged);
    }

    private static void assertThrows(Path file) {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> MatrixFile.open(file));
    }

    @Test
    void csvQuotesCrlfByteOrderMarkAndBlankLinesAreRead() throws Exception {
        Path csv = cli.directory().resolve("edge.csv");
        Files.writeString(csv, "\uFEFF\"a, first\",\"b \"\"q\"\"\", c \r\n \"1\" , 2 ,3\r\n\r\n   \r\n4,\"NA\",\"6\"\r\n");
        MatrixFile file = MatrixFile.open(csv);
        assertEquals(List.of("a, first", "b \"q\"", "c"), file.columnNames());
        assertEquals(2, file.nrow());
        double[] values = new double[6];
        file.copyInto(MemorySegment.ofArray(values));
        assertEquals(1.0, values[0]);
        assertEquals(4.0, values[1]);
        assertEquals(2.0, values[2]);
        assertTrue(Double.isNaN(values[3]));
        assertEquals(3.0, values[4]);
        assertEquals(6.0, values[5]);
    }

    @Test
    void csvWithDuplicateNamesOrAnOpenQuoteIsRefused() throws Exception {
        Path duplicate = cli.directory().resolve("dup.csv");
        Files.writeString(duplicate, "x,y,x\n1,2,3\n");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> MatrixFile.open(duplicate));
        assertTrue(e.getMessage().contains("column=x"), e.getMessage());
        Path open = cli.directory().resolve("open.csv");
        Files.writeString(open, "x,y\n\"1,2\n");
        IllegalArgumentException quote = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> MatrixFile.open(open));
        assertTrue(quote.getMessage().contains("line=2"), quote.getMessage());
    }

    @Test
    void gcReclaimsTheOrphanOfAKilledOwnerFromTheCommandLine() {
        try (ChildJvm owner = ChildJvm.start(org.memshare.multiprocess.Child.class, "register", cli.directory().toString(),
            "cli", "orphan", "10")) {
            assertEquals("registered", owner.readLine());
            assertEquals("would reclaim 0 orphan segment(s), 0 bytes", run("gc", "--dry-run").out().strip(),
                "a live owner's segment is no orphan");
            owner.kill();
            CliHarness.CliRun dry = run("gc", "--dry-run");
            assertTrue(dry.out().contains("would reclaim cli.orphan") && dry.out().contains("dead owner pid " + owner.pid()),
                dry.out());
            assertTrue(MemShare.forDirectory(cli.directory()).exists("cli", "orphan"), "a dry run removes nothing");
            CliHarness.CliRun json = run("gc", "--json");
            assertTrue(json.out().startsWith("[{\"namespace\":\"cli\",\"name\":\"orphan\",\"kind\":\"vector\"")
                && json.out().contains("\"owner_pid\":" + owner.pid() + ",\"owner_alive\":false"), json.out());
            assertFalse(MemShare.forDirectory(cli.directory()).exists("cli", "orphan"));
            assertEquals("[]", run("gc", "--json").out().strip());
        }
    }

    /** {@code --worker-jvm-option} reaches every worker JVM of {@code demo} ({@code select} shares the mixin). */
    @Test
    @Timeout(120)
    void aWorkerJvmOptionIsPassedToTheWorkersAndARefusedOneSaysWhatToSet() {
        CliHarness.CliRun ok = run("demo", "--rows", "300", "--features", "6", "--workers", "1", "--top", "2",
            "--worker-jvm-option=-Xmx300m", "--json");
        assertEquals(0, ok.code(), ok.err());
        CliHarness.CliRun refused = run("demo", "--rows", "300", "--features", "6", "--workers", "1",
            "--worker-jvm-option=-XX:+NoSuchJvmOption", "--json");
        assertEquals(1, refused.code(), refused.err());
        // One line says what failed, what to set and the workers' command line (notes precede it).
        String failure = refused.err().strip().lines().toList().getLast();
        assertTrue(failure.contains("worker exited before it was ready") && failure.contains(
            "the JVM refused an option: check WorkerOptions.jvmOptions") && failure.contains("-XX:+NoSuchJvmOption"),
            refused.err());
    }
}

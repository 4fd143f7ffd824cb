package org.memshare.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.registry.MemShare;
import org.memshare.registry.StorageLayout;
import org.memshare.registry.Variable;
import org.memshare.testing.TempShm;

/**
 * {@code python -m memshare ls|show|gc --json} and {@code memshare ls|show|gc --json} on the same
 * segments print the same JSON (field names, shapes, values) and exit with the same codes: the field
 * names are given once in Java ({@code Reports}) and this test holds Python to them.
 */
class CliPythonParityTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    private static final ObjectMapper JSON = new ObjectMapper();
    private String dir;

    @BeforeEach
    void setUp() {
        Python.requireNumpy();
        dir = shm.directory().toString();
    }

    private CliChild.CliChildRun java(String... args) {
        return CliChild.run(shm.directory(), args);
    }

    private CliChild.CliChildRun python(String... args) {
        StringBuilder call = new StringBuilder("import sys, memshare as ms\nsys.exit(ms.main([");
        for (String arg : args) {
            call.append('"').append(arg).append("\", ");
        }
        call.append("\"--dir\", sys.argv[1]]))\n");
        Python.PythonRun result = Python.run(call.toString(), dir);
        return new CliChild.CliChildRun(result.exitCode(), result.stdout().strip());
    }

    private void assertSameJson(String... args) throws IOException {
        CliChild.CliChildRun java = java(args);
        CliChild.CliChildRun python = python(args);
        assertEquals(0, java.code(), java.out());
        assertEquals(0, python.code(), python.out());
        JsonNode expected = JSON.readTree(java.out());
        assertEquals(expected, JSON.readTree(python.out()), String.join(" ", args));
        assertTrue(!expected.isEmpty(), "the comparison compares something: " + java.out());
    }

    @Test
    void lsShowAndGcPrintTheSameJsonWithTheSameExitCodes() throws IOException {
        MemShare memShare = MemShare.forDirectory(shm.directory());
        memShare.register("p", "named", Variable.matrix(2, 3, new double[] {1, 2, 3, 4, 5, Double.NaN})
            .withColumnNames("a", "b", "c"));
        memShare.register("p", "ints", new int[] {3, -1, 7});
        memShare.register("p", "both", List.of(new double[] {1.5}, Variable.matrix(1, 2, new float[] {2, 3})));
        memShare.registerVariables("p", Map.of("r", new double[] {4, 5}), StorageLayout.R_MEMSHARE);
        Python.run("""
            import os, sys, numpy, memshare as ms
            ms.register("p", "orphan", numpy.arange(4.0), directory=sys.argv[1])
            os._exit(0)     # dies without releasing: an orphan
            """, dir).ok();
        // A file that fails the trust check: listed as foreign with the same reason, left by gc.
        Path planted = shm.directory().resolve("memshare.p.writable");
        Files.copy(shm.directory().resolve("memshare.p.ints"), planted);
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-rw-rw-"));
        try {
            assertSameJson("ls", "--json");
            assertTrue(python("ls", "--json").out().contains("\"state\":\"foreign\",\"reason\":"), "the planted file");
            assertSameJson("show", "p", "named", "--json");
            assertSameJson("show", "p", "ints", "--json");
            assertSameJson("show", "p", "both", "--json");
            assertSameJson("show", "p", "r", "--r-layout", "--json");
            assertSameJson("gc", "--dry-run", "--json");
            assertEquals(1, JSON.readTree(python("gc", "--json").out()).size(), "Python reclaims the orphan");
            assertEquals(0, JSON.readTree(java("gc", "--json").out()).size(), "nothing left for Java");
            assertSameJson("ls", "--json");

            assertEquals(java("show", "p", "missing").code(), python("show", "p", "missing").code());
            assertEquals(1, python("show", "p", "missing").code(), "a failure");
            assertEquals(java("show", "p").code(), python("show", "p").code());
            assertEquals(2, python("show", "p").code(), "a usage error");
            assertEquals(java("nosuchverb").code(), python("nosuchverb").code());
            assertEquals(java("gc").code(), python("gc").code(), "a foreign file left is no failure");
        } finally {
            memShare.releaseNamespace("p");
        }
    }

    /** An empty or short file of this user, as a registrant killed before its header leaves one. */
    private Path headerless(String variable, int bytes, long modifiedMillis) throws IOException {
        Path file = Files.write(shm.directory().resolve("memshare.q." + variable), new byte[bytes]);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.setLastModifiedTime(file, FileTime.fromMillis(modifiedMillis));
        return file;
    }

    @Test
    void headerlessFilesAreListedAndReclaimedAlike() throws IOException {
        long stale = System.currentTimeMillis() - 60_000;
        // In the future, so it stays younger than the grace however slowly the commands start.
        Path fresh = headerless("fresh", 0, System.currentTimeMillis() + 600_000);
        for (boolean byPython : new boolean[] {true, false}) {
            Path empty = headerless("empty", 0, stale);
            Path threeBytes = headerless("short", 3, stale);
            assertSameJson("ls", "--json");
            assertTrue(python("ls", "--json").out().contains("\"state\":\"incomplete\",\"reason\":\"no header: 3 bytes"),
                "the short file is listed as incomplete");
            assertSameJson("gc", "--dry-run", "--json");
            assertEquals(java("gc", "--dry-run").out(), python("gc", "--dry-run").out(), "the same text");
            assertTrue(python("gc", "--dry-run").out().contains("would reclaim q.short (3 bytes, no header)"));
            assertEquals(java("ls").out(), python("ls").out(), "the same table and reasons");
            CliChild.CliChildRun gc = byPython ? python("gc", "--json") : java("gc", "--json");
            assertEquals(0, gc.code(), gc.out());
            assertEquals(2, JSON.readTree(gc.out()).size(), (byPython ? "Python" : "Java") + " reclaims both: " + gc.out());
            assertTrue(Files.notExists(empty) && Files.notExists(threeBytes));
            assertTrue(Files.exists(fresh), "the young one is kept");
        }
        assertEquals(java("gc").code(), python("gc").code());
    }

    @Test
    void aPythonRegistrantKilledBeforeItsHeader_leavesAFileJavasGcReclaims() throws IOException {
        Python.PythonRun killed = Python.run("""
            import os, signal, sys, numpy, memshare as ms
            os.pwrite = lambda *args: os.kill(os.getpid(), signal.SIGKILL)  # its first write after the exclusive create
            ms.register("q", "killed", numpy.ones(1000), directory=sys.argv[1])
            """, dir);
        assertEquals(128 + 9, killed.exitCode(), "killed by SIGKILL: " + killed.stderr());
        Path file = shm.directory().resolve("memshare.q.killed");
        assertEquals(0, Files.size(file));
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        assertSameJson("ls", "--json");
        CliChild.CliChildRun gc = java("gc", "--json");
        assertEquals(0, gc.code(), gc.out());
        assertEquals("incomplete", JSON.readTree(gc.out()).get(0).get("state").asText());
        assertTrue(Files.notExists(file));
    }
}

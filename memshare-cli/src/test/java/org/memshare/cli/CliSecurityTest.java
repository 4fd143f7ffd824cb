package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.multiprocess.Child;
import org.memshare.registry.MemShare;
import org.memshare.testing.ChildJvm;
import org.memshare.testing.OtherUser;

/**
 * Exit codes and messages of the command line for hostile entries in the segment directory: usage
 * errors exit 2, failures exit 1 with one line that says what the file is (no class names, no stack
 * trace), gc run by an unprivileged user exits 0 or 3 as documented.
 */
@Timeout(180)
class CliSecurityTest {
    private static final Duration GUARD = Duration.ofSeconds(30);

    @RegisterExtension
    final CliHarness cli = new CliHarness();

    @AfterEach
    void tearDown() {
        MemShare.forDirectory(cli.directory()).releaseNamespace("ns");
    }

    private CliHarness.CliRun run(String... args) {
        return assertTimeoutPreemptively(GUARD, () -> cli.run(args));
    }

    private Path planted(String variable) {
        return cli.directory().resolve("memshare.ns." + variable);
    }

    /** Exit 1, and standard error is exactly one line (no stack trace, no class name). */
    private void assertFailure(String expectedLine, CliHarness.CliRun result) {
        assertEquals(1, result.code(), result.err());
        assertEquals(List.of(expectedLine), result.err().lines().toList());
    }

    @Test
    void invalidNamesAreUsageErrors() {
        CliHarness.CliRun traversal = run("show", "../x", "y");
        assertEquals(2, traversal.code(), traversal.err());
        assertTrue(traversal.err().startsWith("memshare show: namespace must not contain a path separator"), traversal.err());
        CliHarness.CliRun tooLong = run("show", "ns", "v".repeat(300));
        assertEquals(2, tooLong.code(), tooLong.err());
        assertTrue(tooLong.err().startsWith("memshare show: variable name is too long: bytes=300"), tooLong.err());
        assertFalse(tooLong.err().contains("Exception"), tooLong.err());
    }

    @Test
    void fifoSymlinkDirectoryAndEmptyFile_sayWhatTheyAre() throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", planted("f").toString()).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0);
        Files.createSymbolicLink(planted("l"), Path.of("/etc/passwd"));
        Files.createDirectory(planted("d"));
        Files.createFile(planted("e"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));

        assertFailure("memshare show: refusing to map " + planted("f") + ": a FIFO (named pipe), not a regular file",
            run("show", "ns", "f"));
        assertFailure("memshare show: refusing to map " + planted("l")
            + ": a symbolic link, not a regular file (links are never followed)", run("show", "ns", "l"));
        assertFailure("memshare show: refusing to map " + planted("d") + ": a directory, not a regular file",
            run("show", "ns", "d"));
        CliHarness.CliRun empty = run("show", "ns", "e");
        assertEquals(1, empty.code());
        assertEquals(1, empty.err().lines().count(), empty.err());
        assertTrue(empty.err().startsWith("memshare show: segment too short"), empty.err());

        CliHarness.CliRun ls = run("ls", "--json");
        assertEquals(0, ls.code(), ls.err());
        assertTrue(ls.out().contains("\"name\":\"f\",\"kind\":\"not-a-segment\"")
            && ls.out().contains("\"state\":\"not-a-segment\",\"reason\":\"a FIFO (named pipe), not a regular file\""),
            ls.out());
        CliHarness.CliRun table = run("ls");
        assertTrue(table.out().contains("memshare.ns.d: not-a-segment, never opened: a directory, not a regular file"),
            table.out());
        CliHarness.CliRun gc = run("gc");
        assertEquals(0, gc.code(), "entries that are not this user's orphans do not fail gc: " + gc.err());
        assertTrue(gc.err().contains("memshare gc: left memshare.ns.f: not-a-segment: a FIFO (named pipe)"), gc.err());
        assertTrue(Files.exists(planted("d")) && Files.exists(planted("f")));
    }

    @Test
    void anotherUsersFile_saysWhoseItIs() throws Exception {
        long uid = OtherUser.require();
        MemShare.forDirectory(cli.directory()).register("ns", "mine", new double[] {1, 2});
        Files.copy(planted("mine"), planted("theirs"));
        OtherUser.chown(planted("theirs"));
        assertFailure("memshare show: refusing to map " + planted("theirs") + ": owned by another user (uid=" + uid
            + ", this process runs as uid=0)", run("show", "ns", "theirs"));
        Path csv = cli.directory().resolve("input.csv");
        Files.writeString(csv, "a,b\n1,2\n");
        CliHarness.CliRun load = run("load", csv.toString(), "--namespace", "ns", "--name", "theirs");
        assertEquals(1, load.code(), load.err());
        assertTrue(load.err().contains("existing file refused: owned by another user"), load.err());
    }

    /** Runs the command line as the unprivileged user, in the test's directory. */
    private static CliHarness.CliRun runAsOtherUser(Path directory, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "-cp", OtherUser.readableClassPath(), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(OtherUser.as(command));
        builder.environment().put("MEMSHARE_DIR", directory.toString());
        Process process = builder.start();
        try {
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the command line did not finish");
            return new CliHarness.CliRun(process.exitValue(), out.join(), err.join());
        } finally {
            process.destroyForcibly();
        }
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Test
    void unprivilegedGc_exits0WhenItsOrphansAreReclaimed_and3WhenSomeCannotBe() throws Exception {
        OtherUser.require();
        OtherUser.shareDirectory(cli.directory());
        try (ChildJvm owner = ChildJvm.startAsOtherUser(Map.of(), Child.class, "register", cli.directory().toString(),
            "ns", "orphan", "10")) {
            assertEquals("registered", owner.readLine());
            owner.kill();
        }
        MemShare.forDirectory(cli.directory()).register("ns", "rootlive", new double[] {1});
        // A directory the user may not write: its own orphan cannot be unlinked there.
        Files.setPosixFilePermissions(cli.directory(), PosixFilePermissions.fromString("rwxr-xr-x"));
        CliHarness.CliRun blocked = runAsOtherUser(cli.directory(), "gc");
        assertEquals(GcCommand.INCOMPLETE, blocked.code(), blocked.out() + blocked.err());
        assertTrue(blocked.err().contains("memshare gc: could not reclaim memshare.ns.orphan: cannot unlink segment: path="
            + planted("orphan") + " (permission denied"), blocked.err());
        assertTrue(blocked.err().contains("memshare gc: left memshare.ns.rootlive: foreign: owned by another user (uid=0"),
            blocked.err());
        assertFalse(blocked.err().contains("Exception"), blocked.err());

        OtherUser.shareDirectory(cli.directory());
        CliHarness.CliRun reclaimed = runAsOtherUser(cli.directory(), "gc");
        assertEquals(0, reclaimed.code(), reclaimed.out() + reclaimed.err());
        assertTrue(reclaimed.out().contains("reclaimed ns.orphan"), reclaimed.out());
        assertFalse(Files.exists(planted("orphan")));
        assertTrue(Files.exists(planted("rootlive")), "root's live segment is never touched");
    }
}

package org.memshare.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memshare.registry.MemShare;
import org.memshare.testing.OtherUser;
import org.memshare.testing.Patience;
import org.memshare.testing.TempShm;

/**
 * The Python package against hostile entries, signals and truncation, with real files in a real
 * tmpfs and a real interpreter: the same refusals and messages as Java, no tracebacks on its command
 * line, exit codes 2 for usage and 1 for failures, no file left by a signalled registration.
 */
@Timeout(180)
class PythonSecurityTest {
    /** Python-side guard: a regression that blocks (a FIFO opened for reading) fails instead of hanging. */
    private static final String ALARM = "import signal; signal.alarm(20)\n";

    @RegisterExtension
    final TempShm shm = new TempShm();

    private MemShare memShare;
    private String dir;

    @BeforeEach
    void setUp() {
        Python.requireNumpy();
        memShare = shm.registry("ns");
        dir = shm.directory().toString();
    }

    private Path planted(String variable) {
        return shm.directory().resolve("memshare.ns." + variable);
    }

    private List<String> segments() throws IOException {
        try (Stream<Path> files = Files.list(shm.directory())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("memshare.")).sorted().toList();
        }
    }

    private static final String ATTACH_EACH = ALARM + """
        import sys, memshare as ms
        for name in sys.argv[2:]:
            try:
                ms.attach("ns", name, directory=sys.argv[1])
                print(name, "attached")
            except ms.MemshareError as e:
                print(name, type(e).__name__, getattr(e, "state", "-"), e)
        for entry in ms.list_namespace("ns", sys.argv[1]):
            print("ls", entry["name"], entry["state"], entry.get("reason"))
        """;

    @Test
    void hostileEntries_areRefusedWithTheirReason_andListed() throws Exception {
        memShare.register("ns", "good", new double[] {1, 2, 3});
        Process mkfifo = new ProcessBuilder("mkfifo", planted("f").toString()).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0);
        Files.createSymbolicLink(planted("l"), planted("good"));
        Files.createDirectory(planted("d"));
        Files.copy(planted("good"), planted("w"));
        Files.setPosixFilePermissions(planted("w"), PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.createFile(planted("e"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));

        List<String> lines = Python.run(ATTACH_EACH, dir, "f", "l", "d", "w", "e", "good").ok().lines().toList();
        String refused = "UntrustedSegmentError %s refusing to map %s: %s";
        assertEquals(List.of(
            "f " + refused.formatted("not-a-segment", planted("f"), "a FIFO (named pipe), not a regular file"),
            "l " + refused.formatted("not-a-segment", planted("l"), "a symbolic link, not a regular file (links are never followed)"),
            "d " + refused.formatted("not-a-segment", planted("d"), "a directory, not a regular file"),
            "w " + refused.formatted("foreign", planted("w"), "writable by group or others (mode=0666)"),
            "e SegmentFormatError - segment is empty: name=ns.e, path=" + planted("e"),
            "good attached",
            "ls d not-a-segment a directory, not a regular file",
            "ls e incomplete no header yet: 0 bytes, changed less than 5 s ago (its registrant may be writing it)",
            "ls f not-a-segment a FIFO (named pipe), not a regular file",
            "ls good ready None",
            "ls l not-a-segment a symbolic link, not a regular file (links are never followed)",
            "ls w foreign writable by group or others (mode=0666)"), lines);
    }

    @Test
    void commandLine_usageErrorsExit2_failuresExit1_oneLineWithoutTraceback() throws Exception {
        Files.createDirectory(planted("d"));
        String cli = "import sys, memshare as ms; sys.exit(ms.main(sys.argv[1:]))";
        Python.PythonRun directory = Python.run(cli, "show", "ns", "d", "--dir", dir);
        assertEquals(1, directory.exitCode());
        assertEquals(List.of("memshare show: refusing to map " + planted("d") + ": a directory, not a regular file"),
            directory.stderr().lines().toList());
        Python.PythonRun traversal = Python.run(cli, "show", "../x", "y", "--dir", dir);
        assertEquals(2, traversal.exitCode());
        assertEquals(List.of("memshare show: namespace must not contain a path separator: namespace='../x'"),
            traversal.stderr().lines().toList());
        Python.PythonRun tooLong = Python.run(cli, "show", "ns", "v".repeat(300), "--dir", dir);
        assertEquals(2, tooLong.exitCode());
        assertTrue(tooLong.stderr().startsWith("memshare show: variable name is too long: bytes=300"), tooLong.stderr());
        Python.PythonRun debug = Python.run(cli, "--debug", "show", "ns", "d", "--dir", dir);
        assertEquals(1, debug.exitCode());
        assertTrue(debug.stderr().contains("Traceback"), "--debug shows where: " + debug.stderr());
        for (Python.PythonRun result : List.of(directory, traversal, tooLong)) {
            assertFalse(result.stderr().contains("Traceback"), result.stderr());
        }
    }

    @Test
    void anotherUsersFiles_areRefusedInBothDirections() throws Exception {
        long uid = OtherUser.require();
        OtherUser.shareDirectory(shm.directory());
        memShare.register("ns", "rootfile", new double[] {1, 2});
        Files.copy(planted("rootfile"), planted("userfile"));
        OtherUser.chown(planted("userfile"));
        String attach = ALARM + """
            import sys, memshare as ms
            try:
                ms.attach("ns", sys.argv[2], writable=True, directory=sys.argv[1])
                print("attached")
            except ms.UntrustedSegmentError as e:
                print(e.reason, e)
            """;
        assertEquals("other-owner refusing to map " + planted("userfile") + ": owned by another user (uid=" + uid
            + ", this process runs as uid=0)", Python.run(attach, dir, "userfile").ok().strip());
        // As the user, root's owner-only file cannot even be opened: the message still says whose it is.
        assertEquals("other-owner refusing to map " + planted("rootfile") + ": owned by another user (uid=0,"
            + " this process runs as uid=" + uid + ")", Python.runAs(OtherUser.as(List.of()), attach, dir, "rootfile").ok().strip());
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void signalDuringA500MbRegistration_leavesNoFile(String signal) throws Exception {
        Process python = Python.start("""
            import sys, numpy, memshare as ms
            ms.register("ns", "small", numpy.ones(3), directory=sys.argv[1])
            big = numpy.ones(500 * 2**20 // 8)
            print("start", flush=True)
            ms.register("ns", "big", big, directory=sys.argv[1])
            print("registered", flush=True)
            sys.stdin.readline()
            """, dir);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(planted("big")) && python.isAlive() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(Files.exists(planted("big")), "the registration never started");
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(python.pid())).start();
            assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
            // Within 2 s on an idle machine (the copy goes in chunks, with signal checks between them).
            assertTrue(python.waitFor(Patience.PROMPT_MILLIS, TimeUnit.MILLISECONDS),
                "python did not exit within " + Patience.PROMPT_MILLIS + " ms of SIG" + signal);
            assertEquals(List.of(), segments(), "neither the page nor the registration in progress is left");
        } finally {
            python.destroyForcibly();
        }
    }

    @Test
    void truncatedSegment_isRefusedAtAttach_andKillsALiveReaderWithSigbus() throws Exception {
        memShare.register("ns", "t", new double[1 << 20]);
        try (Python.Held reader = new Python.Held("""
                import sys, memshare as ms
                x = ms.attach("ns", "t", directory=sys.argv[1])
                print("ready", flush=True)
                sys.stdin.readline()
                print(float(x.sum()), flush=True)
                """, dir)) {
            assertEquals("ready", reader.readLine());
            try (FileChannel file = FileChannel.open(planted("t"), StandardOpenOption.WRITE)) {
                file.truncate(4096);
            }
            Python.PythonRun killed = reader.finish();
            // Documented limit: numpy reads the mapping directly; the lost pages raise SIGBUS (signal 7).
            assertEquals(128 + 7, killed.exitCode(), killed.stderr());
        }
        Python.PythonRun late = Python.run(ALARM + """
            import sys, memshare as ms
            try:
                ms.attach("ns", "t", directory=sys.argv[1])
            except ms.SegmentFormatError as e:
                print(e)
            """, dir);
        assertTrue(late.ok().startsWith("segment sizes do not match its header: name=ns.t, bytes=4096"), late.stdout());
    }
}

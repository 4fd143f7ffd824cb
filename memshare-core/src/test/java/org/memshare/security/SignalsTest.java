package org.memshare.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memshare.multiprocess.Child;
import org.memshare.testing.ChildJvm;
import org.memshare.testing.Patience;
import org.memshare.testing.TempShm;

/**
 * SIGTERM and SIGINT end a real child JVM whatever it is doing (within 2 s on an idle machine; the
 * wait allows a loaded one more), and leave none of its segments behind: not its finished pages, not
 * the one it was registering.
 */
@Timeout(120)
class SignalsTest {

    @RegisterExtension
    final TempShm shm = new TempShm();

    private static void signal(ChildJvm child, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " failed");
    }

    /**
     * Sends the signal and asserts the child exits: within 2 s on an idle machine, the test allows a
     * loaded one {@link Patience#PROMPT_MILLIS} (a child that waited for its blocked threads would never end).
     *
     * @return the milliseconds it took
     */
    private static long signalAndAwaitExit(ChildJvm child, String signal) throws Exception {
        long start = System.nanoTime();
        signal(child, signal);
        boolean exited = child.process().waitFor(Patience.PROMPT_MILLIS, TimeUnit.MILLISECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(exited, "the child did not exit within " + Patience.PROMPT_MILLIS + " ms of SIG" + signal);
        return millis;
    }

    private List<String> segments() throws IOException {
        try (Stream<Path> files = Files.list(shm.directory())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("memshare.")).sorted().toList();
        }
    }

    private static void mkfifo(Path path) throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0);
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void childBlockedOnAFifo_exitsPromptly_leavingNoSegment(String signal) throws Exception {
        Path planted = shm.directory().resolve("memshare.ns.planted");
        Path input = shm.directory().resolve("input.fifo");
        mkfifo(planted);
        mkfifo(input);
        try (ChildJvm child = ChildJvm.start(Child.class, "block-on-fifo", shm.directory().toString(), "ns", "page",
            input.toString())) {
            String refused = child.readLine();
            assertEquals("refused refusing to map " + planted + ": a FIFO (named pipe), not a regular file", refused,
                "a FIFO under a segment's name is refused at once, not waited on");
            assertEquals("blocked", child.readLine());
            // The page and the registration waiting for its input both exist now.
            assertEquals(List.of("memshare.ns.page", "memshare.ns.page2", "memshare.ns.planted"), segments());
            signalAndAwaitExit(child, signal);
        }
        assertEquals(List.of("memshare.ns.planted"), segments(), "the child's segments are gone, the planted FIFO stays");
        assertTrue(Files.exists(planted, LinkOption.NOFOLLOW_LINKS));
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void childInTheMiddleOfA500MbRegistration_exitsPromptly_leavingNoFile(String signal) throws Exception {
        long bytes = 500L << 20;
        try (ChildJvm child = ChildJvm.start(Child.class, "register-slowly", shm.directory().toString(), "ns", "big",
            Long.toString(bytes))) {
            assertEquals("writing", child.readLine());
            Thread.sleep(300); // well inside the copy, which takes about 5 s
            assertEquals(List.of("memshare.ns.big"), segments());
            assertTrue(child.process().isAlive(), "still registering");
            signalAndAwaitExit(child, signal);
        }
        assertEquals(List.of(), segments(), "the segment being registered is gone");
        assertFalse(Files.exists(shm.directory().resolve("memshare.ns.big")));
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void childInTheMiddleOfAnApplyOnWorkerJvms_exitsPromptly_leavingNoSegment(String signal) throws Exception {
        List<Long> workers;
        try (ChildJvm child = ChildJvm.start(Child.class, "apply-stuck", shm.directory().toString(), "ns", "page")) {
            assertEquals("applying", child.readLine());
            workers = child.process().toHandle().descendants().map(ProcessHandle::pid).toList();
            assertFalse(workers.isEmpty(), "worker JVMs run");
            assertTrue(segments().contains("memshare.ns.page"), segments().toString());
            signalAndAwaitExit(child, signal);
        }
        assertEquals(List.of(), segments(), "the page and the call's data are gone");
        // Workers end with their channel to the parent.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (long pid : workers) {
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker still alive: pid=" + pid);
        }
    }
}

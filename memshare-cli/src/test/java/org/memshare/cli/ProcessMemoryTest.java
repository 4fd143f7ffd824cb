package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.memshare.testing.ChildJvm;

/** Reading PSS by hand from {@code smaps_rollup}: the right line, the right unit, nothing for a process that is gone. */
class ProcessMemoryTest {
    @Test
    void takesTheTotalPssLineInKibibytes() {
        String rollup = "55e1c0e28000-7ffc9fc14000 ---p 00000000 00:00 0                          [rollup]\n"
            + "Rss:                1796 kB\n"
            + "Pss_Dirty:            12 kB\n"
            + "Pss:                 679 kB\n"
            + "Pss_Anon:            300 kB\n";
        assertEquals(679L * 1024, ProcessMemory.pssBytes(rollup.getBytes(StandardCharsets.US_ASCII)));
        String anonFirst = "x [rollup]\nPss_Anon:   5 kB\nPss:   7 kB\n";
        assertEquals(7L * 1024, ProcessMemory.pssBytes(anonFirst.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, ProcessMemory.pssBytes("x [rollup]\nRss: 5 kB\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, ProcessMemory.pssBytes(new byte[0]));
    }

    @Test
    void smapsMappingsKeepTheirFileAndPageCounts() {
        List<String> smaps = List.of(
            "7f0c2a000000-7f0c2b000000 r-xp 00000000 08:01 1048600                    /usr/lib/jvm/jdk/lib/server/libjvm.so",
            "Size:              16384 kB",
            "Rss:                9000 kB",
            "Pss:                4600 kB",
            "Shared_Clean:       8800 kB",
            "Shared_Dirty:          0 kB",
            "Private_Clean:       200 kB",
            "Private_Dirty:         0 kB",
            "VmFlags: rd ex mr mw me",
            "7f0c2c000000-7f0c2c100000 rw-p 00000000 00:00 0 ",
            "Pss:                 512 kB",
            "Private_Dirty:       512 kB",
            "7f0c2d000000-7f0c2d100000 r--s 00000000 00:1a 77 /dev/shm/my file (deleted)",
            "Pss:                  40 kB",
            "Shared_Clean:         80 kB");
        assertEquals(List.of(
            new ProcessMemory.SmapsEntry("/usr/lib/jvm/jdk/lib/server/libjvm.so", 4600, 200, 8800),
            new ProcessMemory.SmapsEntry(null, 512, 512, 0),
            new ProcessMemory.SmapsEntry("/dev/shm/my file (deleted)", 40, 0, 80)), ProcessMemory.parseSmaps(smaps));
    }

    @Test
    void sharedPagesOfAFileAreDividedOnlyAmongTheGroup() {
        // Two JVMs map libjvm.so (8,800 KiB shared, 200 private each; PSS 2,400 each because two other
        // JVMs on the host map it too), each has 512 KiB of heap, one maps 1,000 KiB of data alone.
        ProcessMemory.SmapsEntry libjvm = new ProcessMemory.SmapsEntry("/jdk/lib/server/libjvm.so", 2400, 200, 8800);
        ProcessMemory.SmapsEntry heap = new ProcessMemory.SmapsEntry(null, 512, 512, 0);
        ProcessMemory.SmapsEntry data = new ProcessMemory.SmapsEntry("/dev/shm/memshare.ns.X", 1000, 1000, 0);
        double alone = ProcessMemory.aloneKib(List.of(List.of(libjvm, heap), List.of(libjvm, heap, data)));
        assertEquals(2 * (200 + 4400 + 512) + 1000, alone, 1e-9);
        // Alone, one process holds every page it shares.
        assertEquals(200 + 8800 + 512, ProcessMemory.aloneKib(List.of(List.of(libjvm, heap))), 1e-9);
    }

    /**
     * This JVM and a child JVM share {@code libjvm.so} and the JDK's class data: counted as if no other
     * process mapped them, the two hold at least their PSS and at most the sum of their resident sizes.
     */
    @Test
    @Timeout(60)
    void aloneLiesBetweenThePssAndTheResidentSizeOfTheGroup() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/smaps")), "Linux with smaps");
        ChildJvm child = ChildJvm.start(WaitForStdin.class);
        try (child) {
            assertEquals("ready", child.readLine(), "the child JVM started");
            List<Long> group = List.of(ProcessHandle.current().pid(), child.pid());
            long pss = ProcessMemory.totalPss(group);
            long alone = ProcessMemory.alone(group);
            long rss = 0;
            for (long pid : group) {
                rss += ProcessMemory.mappings(pid).stream().mapToLong(m -> m.privateKib() + m.sharedKib()).sum() * 1024;
            }
            // Pages change between the reads; allow 2 MiB either way.
            assertTrue(alone >= pss - (2 << 20), "alone=" + alone + " pss=" + pss);
            assertTrue(alone <= rss + (2 << 20), "alone=" + alone + " rss=" + rss);
        }
        assertEquals(0, ProcessMemory.alone(List.of(child.pid())));
    }

    /** A child that says it is ready and waits for its stdin to end. */
    static final class WaitForStdin {
        public static void main(String[] args) throws Exception {
            System.out.println("ready");
            System.in.read();
        }
    }

    @Test
    @Timeout(30)
    void readsThisProcessAndNothingForOneThatIsGone() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/smaps_rollup")), "Linux with smaps_rollup");
        long self = ProcessMemory.pss(ProcessHandle.current().pid());
        assertTrue(self > 1 << 20, "a JVM's PSS is more than 1 MiB: " + self);
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, ProcessMemory.pss(gone.pid()));
    }
}

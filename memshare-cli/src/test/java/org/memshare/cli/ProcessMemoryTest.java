package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

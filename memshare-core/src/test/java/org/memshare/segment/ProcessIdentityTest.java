package org.memshare.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessIdentityTest {
    @Test
    void currentProcessIsAliveWithAStartTime() {
        ProcessIdentity me = ProcessIdentity.current();
        assertEquals(ProcessHandle.current().pid(), me.pid());
        assertTrue(me.startTicks() > 0);
        assertTrue(me.isAlive());
    }

    @Test
    void reusedPidWithAnotherStartTimeIsNotAlive() {
        ProcessIdentity me = ProcessIdentity.current();
        assertFalse(new ProcessIdentity(me.pid(), me.startTicks() + 1).isAlive());
    }

    @Test
    void finishedProcessIsNotAlive() throws Exception {
        Process p = new ProcessBuilder("true").start();
        long pid = p.pid();
        p.waitFor();
        assertFalse(new ProcessIdentity(pid, 1).isAlive());
        assertTrue(ProcessIdentity.of(-1).isEmpty());
    }

    @Test
    void commandNamesWithSpacesAndParenthesesParse() {
        String stat = "1234 (a (weird) name) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10";
        assertEquals(987654L, ProcessIdentity.startTicksFromStat(stat));
    }
}

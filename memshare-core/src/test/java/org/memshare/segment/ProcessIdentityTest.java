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
}

package org.memshare.segment.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memshare.segment.ProcessIdentity;
import org.memshare.segment.StoreKind;

/** The facts of each operating system, checked here on Linux for all three. */
class OperatingSystemTest {
    private static final OperatingSystem LINUX = OperatingSystem.of("Linux");
    private static final OperatingSystem MAC = OperatingSystem.of("Mac OS X");
    private static final OperatingSystem WINDOWS = OperatingSystem.of("Windows 11");

    @Test
    void eachSystemIsRecognisedWithItsDefaultStore() {
        assertEquals("linux", LINUX.label());
        assertEquals(StoreKind.POSIX, LINUX.defaultStore());
        assertEquals(StoreKind.FILE, MAC.defaultStore());
        assertEquals(StoreKind.FILE, WINDOWS.defaultStore());
        assertEquals(Path.of("/dev/shm"), LINUX.defaultDirectory(StoreKind.POSIX));
        assertTrue(LINUX.defaultDirectory(StoreKind.FILE).getFileName().toString().startsWith("memshare-"));
        assertTrue(WINDOWS.defaultDirectory(StoreKind.FILE).endsWith("memshare"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MAC.defaultDirectory(StoreKind.POSIX));
        assertTrue(e.getMessage().contains("os=macos"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"CON", "con", "NUL", "nul.x", "COM1", "lpt9.data", "a:b", "what?", "pipe|", "trailing.", "space "})
    void windowsRefusesReservedNamesAndCharacters(String name) {
        assertThrows(IllegalArgumentException.class, () -> WINDOWS.validateName("variable", name));
        LINUX.validateName("variable", name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"console", "CONx", "COM10", "memshare.ns.CON", "nullable"})
    void windowsAcceptsNamesThatOnlyResembleReservedOnes(String name) {
        WINDOWS.validateName("variable", name);
    }

    @Test
    void caseAndColonsOnMacOs() {
        assertTrue(MAC.namesIgnoreCase());
        assertTrue(WINDOWS.namesIgnoreCase());
        assertFalse(LINUX.namesIgnoreCase());
        assertThrows(IllegalArgumentException.class, () -> MAC.validateName("namespace", "a:b"));
    }

    @Test
    void startTimesFollowEachSystemsUnit() {
        long pid = ProcessHandle.current().pid();
        assertEquals(ProcessIdentity.current().startTicks(), LINUX.startTime(pid).orElseThrow());
        long millis = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
        assertEquals(millis, MAC.startTime(pid).orElseThrow());
        assertEquals(millis, WINDOWS.startTime(pid).orElseThrow());
        assertTrue(LINUX.startTime(-1).isEmpty() && MAC.startTime(0).isEmpty());
    }

    @Test
    void storeLabelsParseAndABadOneIsNamed() {
        assertEquals(StoreKind.FILE, StoreKind.parse(" File "));
        assertEquals("posix", StoreKind.POSIX.label());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StoreKind.parse("shm"));
        assertTrue(e.getMessage().contains("store=shm") && e.getMessage().contains(StoreKind.ENV), e.getMessage());
    }

    @Test
    void commandNamesWithSpacesAndParenthesesParse() {
        String stat = "1234 (a (weird) name) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10";
        assertEquals(987654L, OperatingSystem.Linux.startTicksFromStat(stat));
    }
}

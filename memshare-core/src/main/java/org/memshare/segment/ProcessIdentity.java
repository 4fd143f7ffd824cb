package org.memshare.segment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process as the kernel knows it: pid plus start time (clock ticks since boot, field 22 of
 * {@code /proc/PID/stat}). A pid alone is not an identity because pids are reused; the pair is,
 * like the version and timestamp of a mark file.
 *
 * @param pid the process id
 * @param startTicks the process start time in clock ticks after boot, or 0 where unknown
 */
public record ProcessIdentity(long pid, long startTicks) {

    private static final ProcessIdentity CURRENT =
        of(ProcessHandle.current().pid()).orElse(new ProcessIdentity(ProcessHandle.current().pid(), 0));

    /**
     * The identity of the running JVM's process, read once.
     *
     * @return this process
     */
    public static ProcessIdentity current() {
        return CURRENT;
    }

    /**
     * Reads the identity of a running process.
     *
     * @param pid the process id
     * @return the identity, or empty when no such process runs now
     */
    public static Optional<ProcessIdentity> of(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Optional.of(new ProcessIdentity(pid, startTicksFromStat(stat)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // /proc unreadable (not Linux): fall back to the pid alone, start time unknown.
            return ProcessHandle.of(pid).map(h -> new ProcessIdentity(pid, 0));
        }
    }

    /**
     * Whether this very process (same pid and same start time) is still running.
     *
     * @return false when the pid is gone or now belongs to a process that started at another time
     */
    public boolean isAlive() {
        return of(pid).map(now -> startTicks == 0 || now.startTicks == 0 || now.startTicks == startTicks)
            .orElse(false);
    }

    /** The command name in {@code /proc/PID/stat} may hold spaces and parentheses: parse after the last ')'. */
    static long startTicksFromStat(String stat) {
        int close = stat.lastIndexOf(')');
        String[] fields = stat.substring(close + 2).trim().split(" ");
        // After "pid (comm) " the first field is state (field 3); starttime is field 22.
        return Long.parseLong(fields[22 - 3]);
    }
}

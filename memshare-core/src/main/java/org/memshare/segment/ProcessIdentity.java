package org.memshare.segment;

import java.util.Optional;
import java.util.OptionalLong;
import org.memshare.segment.internal.OperatingSystem;

/**
 * A process as the kernel knows it: pid plus start time. A pid alone is not an identity because pids
 * are reused; the pair is, like the version and timestamp of a mark file. The start time is in the
 * operating system's unit: on Linux clock ticks since boot
 * (field 22 of {@code /proc/PID/stat}), which both stores and the Python module read alike; on macOS
 * and Windows milliseconds since the epoch from {@link ProcessHandle.Info#startInstant()}.
 *
 * @param pid the process id
 * @param startTicks the process start time in the operating system's unit, or 0 where unknown
 */
public record ProcessIdentity(long pid, long startTicks) {

    /** No process: pid 0, start 0, the owner of a segment whose layout records none (R memshare's). */
    public static final ProcessIdentity UNKNOWN = new ProcessIdentity(0, 0);

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
        OptionalLong start = OperatingSystem.current().startTime(pid);
        return start.isPresent() ? Optional.of(new ProcessIdentity(pid, start.getAsLong())) : Optional.empty();
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
}

package org.memshare.segment.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.memshare.segment.StoreKind;

/**
 * Every fact memshare needs about the operating system, one small class per system: which store is
 * the default, where its segments live by default, what a file name may not be, whether two names
 * that differ only by case are one name, and what the start time of a process is. Nothing else in
 * memshare asks which system it runs on.
 *
 * <p>Linux is built for and tested; macOS and Windows are built for but not tested here.
 */
public sealed interface OperatingSystem permits OperatingSystem.Linux, OperatingSystem.MacOs, OperatingSystem.Windows {

    /**
     * The operating system of this JVM, from {@code os.name}, resolved once.
     *
     * @return the system this JVM runs on (anything that is neither macOS nor Windows counts as Linux)
     */
    static OperatingSystem current() {
        return Current.SYSTEM;
    }

    /**
     * The operating system an {@code os.name} value names, by its prefix ({@code windows}, {@code mac}).
     *
     * @param osName a value of the {@code os.name} system property
     * @return the system it names (Linux for anything else)
     */
    static OperatingSystem of(String osName) {
        String name = osName.toLowerCase(Locale.ROOT);
        if (name.startsWith("windows")) {
            return new Windows();
        }
        if (name.startsWith("mac")) {
            return new MacOs();
        }
        return new Linux();
    }

    /**
     * The system's name as messages and JSON show it.
     *
     * @return a short lower-case label ({@code linux}, {@code macos}, {@code windows})
     */
    String label();

    /**
     * The segment store of this system: the POSIX store on Linux, the file store elsewhere.
     *
     * @return the store used when neither {@code memshare.store} nor {@code MEMSHARE_STORE} chooses one
     */
    default StoreKind defaultStore() {
        return StoreKind.FILE;
    }

    /**
     * The segment directory a store uses by default on this system.
     *
     * @param kind a store kind
     * @return where segments of that store live when neither {@code memshare.dir} nor {@code MEMSHARE_DIR}
     *     names a directory: for the file store {@code $TMPDIR/memshare-USER} (or {@code /tmp/memshare-USER})
     *     unless the system says otherwise
     * @throws IllegalArgumentException when the kind does not exist on this system
     */
    default Path defaultDirectory(StoreKind kind) {
        return switch (kind) {
            case POSIX -> throw new IllegalArgumentException("store=posix needs Linux's /dev/shm: os=" + label()
                + ", use store=file or set memshare.dir to a memory file system");
            case FILE -> temporaryDirectory().resolve("memshare-" + userName());
        };
    }

    /**
     * Checks the rules a file name has on this system beyond {@link SegmentName}'s portable ones.
     *
     * @param what what the value names, for the message
     * @param value a name already valid by the portable rules
     * @throws IllegalArgumentException naming the rule that {@code value} breaks
     */
    void validateName(String what, String value);

    /**
     * Whether segment names must be compared without regard to case (macOS and Windows).
     *
     * @return whether two names that differ only by case are one name in this system's usual file systems
     */
    default boolean namesIgnoreCase() {
        return true;
    }

    /**
     * The start time of a running process in this system's unit for the owner-start field of a segment
     * header: on Linux clock ticks after boot (field 22 of {@code /proc/PID/stat}, what the POSIX
     * store, the file store and the Python module all read there), elsewhere milliseconds since the
     * epoch ({@link ProcessHandle.Info#startInstant()}).
     *
     * @param pid a process id
     * @return the start time, or empty when no such process runs now; 0 when it runs but its start
     *     time cannot be read (liveness then rests on the pid alone)
     */
    default OptionalLong startTime(long pid) {
        if (pid <= 0) {
            return OptionalLong.empty();
        }
        return ProcessHandle.of(pid)
            .map(h -> h.info().startInstant().map(i -> OptionalLong.of(i.toEpochMilli())).orElse(OptionalLong.of(0)))
            .orElse(OptionalLong.empty());
    }

    /** Resolved once: {@code os.name} does not change while the JVM runs. */
    final class Current {
        static final OperatingSystem SYSTEM = of(System.getProperty("os.name", ""));

        private Current() {
        }
    }

    /** The user name for a per-user directory, reduced to characters every file system accepts. */
    private static String userName() {
        String user = System.getProperty("user.name", "user");
        String safe = user.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.startsWith(".") ? "user" + safe : safe;
    }

    /** {@code $TMPDIR} (as the Python module reads it), else {@code /tmp}. */
    private static Path temporaryDirectory() {
        String configured = System.getenv("TMPDIR");
        return Path.of(configured == null || configured.isBlank() ? "/tmp" : configured);
    }

    /**
     * Linux: POSIX shared memory in {@code /dev/shm} by default; the file store in
     * {@code $TMPDIR/memshare-USER} (or {@code /tmp/memshare-USER}); case-sensitive names.
     */
    record Linux() implements OperatingSystem {
        @Override
        public String label() {
            return "linux";
        }

        @Override
        public StoreKind defaultStore() {
            return StoreKind.POSIX;
        }

        @Override
        public Path defaultDirectory(StoreKind kind) {
            return kind == StoreKind.POSIX ? Path.of("/dev/shm") : OperatingSystem.super.defaultDirectory(kind);
        }

        @Override
        public void validateName(String what, String value) {
            // Any byte but '/' and NUL, which SegmentName already refuses.
        }

        @Override
        public boolean namesIgnoreCase() {
            return false;
        }

        @Override
        public OptionalLong startTime(long pid) {
            if (pid <= 0) {
                return OptionalLong.empty();
            }
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                return OptionalLong.of(startTicksFromStat(stat));
            } catch (NoSuchFileException e) {
                return OptionalLong.empty();
            } catch (IOException | RuntimeException e) {
                // /proc hidden or unreadable (hidepid): the pid alone, start time unknown.
                return ProcessHandle.of(pid).map(h -> OptionalLong.of(0)).orElse(OptionalLong.empty());
            }
        }

        /** The command name in {@code /proc/PID/stat} may hold spaces and parentheses: parse after the last ')'. */
        static long startTicksFromStat(String stat) {
            int close = stat.lastIndexOf(')');
            String[] fields = stat.substring(close + 2).trim().split(" ");
            // After "pid (comm) " the first field is state (field 3); starttime is field 22.
            return Long.parseLong(fields[22 - 3]);
        }
    }

    /**
     * macOS: the file store in {@code $TMPDIR/memshare-USER} ({@code $TMPDIR} is a per-user directory
     * there); APFS and HFS+ compare names without case by default.
     */
    record MacOs() implements OperatingSystem {
        @Override
        public String label() {
            return "macos";
        }

        @Override
        public void validateName(String what, String value) {
            if (value.contains(":")) {
                // The Finder and older APIs show ':' as '/': refused so a name reads the same everywhere.
                throw new IllegalArgumentException(what + " must not contain ':' on macOS: " + what + "=\"" + value + "\"");
            }
        }
    }

    /**
     * Windows: the file store in {@code %LOCALAPPDATA%\memshare}; reserved device names
     * ({@code CON}, {@code NUL}, {@code COM1}…, also with an extension), characters
     * {@code <>:"|?*} and a trailing dot or space are refused; NTFS compares names without case.
     */
    record Windows() implements OperatingSystem {
        private static final Pattern RESERVED =
            Pattern.compile("(?i)(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\\..*)?");

        @Override
        public String label() {
            return "windows";
        }

        @Override
        public Path defaultDirectory(StoreKind kind) {
            if (kind == StoreKind.POSIX) {
                return OperatingSystem.super.defaultDirectory(kind);
            }
            String local = System.getenv("LOCALAPPDATA");
            return (local == null || local.isBlank()
                ? Path.of(System.getProperty("user.home"), "AppData", "Local") : Path.of(local)).resolve("memshare");
        }

        @Override
        public void validateName(String what, String value) {
            for (int i = 0; i < value.length(); i++) {
                if ("<>:\"|?*".indexOf(value.charAt(i)) >= 0) {
                    throw new IllegalArgumentException(what + " must not contain any of <>:\"|?* on Windows: "
                        + what + "=\"" + value + "\", index=" + i);
                }
            }
            if (value.endsWith(".") || value.endsWith(" ")) {
                throw new IllegalArgumentException(what + " must not end with '.' or ' ' on Windows: " + what + "=\""
                    + value + "\"");
            }
            if (RESERVED.matcher(value).matches()) {
                throw new IllegalArgumentException(what + " is a reserved device name on Windows: " + what + "=\""
                    + value + "\"");
            }
        }
    }
}

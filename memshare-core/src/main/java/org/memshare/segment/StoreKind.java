package org.memshare.segment;

import java.util.Locale;
import org.memshare.segment.internal.OperatingSystem;

/**
 * The two ways memshare keeps segments; {@link #label()} is what {@code memshare.store},
 * {@code MEMSHARE_STORE} and the {@code "store"} field of {@code ls --json} and {@code show --json} say.
 */
public enum StoreKind {
    /** The POSIX store: files in a tmpfs ({@code /dev/shm}) through a few libc calls; Linux only. */
    POSIX,
    /** The file store: files in any directory through JDK APIs alone; every operating system. */
    FILE;

    /** System property choosing the store; wins over {@link #ENV}. */
    public static final String PROPERTY = "memshare.store";

    /** Environment variable choosing the store, read by the Java and the Python command lines alike. */
    public static final String ENV = "MEMSHARE_STORE";

    /**
     * The store's name as configuration, messages and JSON spell it.
     *
     * @return the lower-case label ({@code posix} or {@code file})
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The store this process uses: {@value #PROPERTY}, else {@value #ENV}, else the operating
     * system's default ({@code posix} on Linux, {@code file} on macOS and Windows).
     *
     * @return the configured kind
     * @throws IllegalArgumentException when the property or variable names no store
     */
    public static StoreKind configured() {
        String configured = System.getProperty(PROPERTY, System.getenv(ENV));
        return configured == null || configured.isBlank() ? OperatingSystem.current().defaultStore() : parse(configured);
    }

    /**
     * The store a configured label names; surrounding blanks are ignored.
     *
     * @param label {@code posix} or {@code file}, in any case
     * @return the kind
     * @throws IllegalArgumentException for anything else
     */
    public static StoreKind parse(String label) {
        for (StoreKind kind : values()) {
            if (kind.label().equalsIgnoreCase(label.strip())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown segment store: store=" + label + " (expected posix or file;"
            + " set by -D" + PROPERTY + " or " + ENV + ")");
    }
}

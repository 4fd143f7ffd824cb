package org.memshare.segment;

import java.nio.file.Path;
import java.util.Optional;
import org.memshare.segment.internal.OperatingSystem;

/**
 * Where this process's segments live: the directory named by the system property {@value #PROPERTY}
 * or the environment variable {@value #ENV}, else the operating system's default for the configured
 * store ({@link StoreKind#configured()}): {@code /dev/shm} (where {@code shm_open} puts POSIX shared
 * memory on Linux) for the POSIX store, a per-user directory for the file store.
 *
 * {@snippet :
 * System.setProperty(SegmentDirectory.PROPERTY, "/dev/shm/my-test");   // before MemShare.system()
 * Path directory = SegmentDirectory.configured();                        // /dev/shm/my-test
 * }
 */
public final class SegmentDirectory {

    /** Environment variable naming the segment directory. */
    public static final String ENV = "MEMSHARE_DIR";

    /** System property naming the segment directory; wins over {@link #ENV}. */
    public static final String PROPERTY = "memshare.dir";

    private SegmentDirectory() {
    }

    /**
     * The directory the user chose, if any.
     *
     * @return the directory {@link #PROPERTY}, else {@link #ENV}, names; empty when neither is set
     */
    public static Optional<Path> named() {
        String configured = System.getProperty(PROPERTY, System.getenv(ENV));
        return configured == null || configured.isBlank() ? Optional.empty() : Optional.of(Path.of(configured));
    }

    /**
     * The segment directory {@code MemShare.system()} works in.
     *
     * @return the configured segment directory: {@link #named()}, else the operating system's default
     *     for the configured store
     * @throws IllegalArgumentException when {@link StoreKind#PROPERTY} or {@link StoreKind#ENV} names no store
     */
    public static Path configured() {
        return configured(StoreKind.configured());
    }

    /**
     * The segment directory for a given kind of store.
     *
     * @param kind the store the directory is for
     * @return {@link #named()}, else the operating system's default directory for {@code kind}
     * @throws IllegalArgumentException when no directory is named and {@code kind} does not exist on
     *     this system (the POSIX store outside Linux)
     */
    public static Path configured(StoreKind kind) {
        return named().orElseGet(() -> OperatingSystem.current().defaultDirectory(kind));
    }
}

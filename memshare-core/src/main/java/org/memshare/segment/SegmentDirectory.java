package org.memshare.segment;

import java.nio.file.Path;

/**
 * Where this process's segments live: {@code /dev/shm} (where {@code shm_open} puts POSIX shared
 * memory on Linux), unless the system property {@value #PROPERTY} or the environment variable
 * {@value #ENV} names another directory on a memory file system.
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

    /** The directory when neither is set. */
    public static final Path DEFAULT = Path.of("/dev/shm");

    private SegmentDirectory() {
    }

    /** @return the configured segment directory: {@link #PROPERTY}, else {@link #ENV}, else {@link #DEFAULT} */
    public static Path configured() {
        String configured = System.getProperty(PROPERTY, System.getenv(ENV));
        return configured == null || configured.isBlank() ? DEFAULT : Path.of(configured);
    }
}

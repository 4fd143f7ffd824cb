package org.memshare.segment.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.memshare.segment.FileStatus;

/**
 * The files this process created in any segment directory and has not unlinked yet: finished
 * segments and those still being written. A shutdown hook unlinks them when the JVM ends (normal
 * exit, SIGTERM, SIGINT), so a registration interrupted at any point leaves nothing behind.
 *
 * <p>The hook takes no lock that another thread may hold: a thread blocked in a system call or in the
 * middle of a long copy cannot delay the exit. Everything here is a concurrent map and a volatile flag.
 * A file created after the hook started is unlinked by its creating thread ({@link #add}), so a
 * creation racing the hook is covered from either side.
 */
final class OwnFiles {
    /** A created file: unlinked only while the name still denotes the same inode. */
    private record Owned(long sequence, FileStatus.Identity identity) {
    }

    private static final Map<Path, Owned> FILES = new ConcurrentHashMap<>();
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static volatile boolean exiting;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(OwnFiles::unlinkAll, "memshare-shutdown"));
    }

    private OwnFiles() {
    }

    /**
     * Records a file this process just created.
     *
     * @throws IllegalStateException when the JVM is already shutting down (the file is unlinked again)
     */
    static void add(Path path, FileStatus.Identity identity) {
        FILES.put(path, new Owned(SEQUENCE.incrementAndGet(), identity));
        if (exiting) {
            unlinkIfSame(path, identity);
            throw new IllegalStateException("the JVM is shutting down: segment not created, path=" + path);
        }
    }

    /** Forgets a file (it was unlinked, or handed over). */
    static void remove(Path path) {
        FILES.remove(path);
    }

    /** Newest first, so R memshare's metadata object goes before its data object. */
    private static void unlinkAll() {
        exiting = true;
        List<Map.Entry<Path, Owned>> files = new ArrayList<>(FILES.entrySet());
        files.sort(Comparator.comparingLong((Map.Entry<Path, Owned> e) -> e.getValue().sequence()).reversed());
        for (Map.Entry<Path, Owned> file : files) {
            unlinkIfSame(file.getKey(), file.getValue().identity());
        }
    }

    private static void unlinkIfSame(Path path, FileStatus.Identity identity) {
        try {
            FileStatus now = TrustedFile.lstat(path);
            if (now != null && now.identity().equals(identity)) {
                Files.deleteIfExists(path);
            }
            FILES.remove(path);
        } catch (IOException | RuntimeException ignored) {
            // Best effort at exit: the header names this process as owner, so gc reclaims what is left.
        }
    }
}

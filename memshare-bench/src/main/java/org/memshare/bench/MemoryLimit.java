package org.memshare.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A memory cgroup that child processes start in, so they may use at most a given amount of memory,
 * the page cache of the files they map included: cgroup v2 ({@code memory.max}) or v1's memory
 * controller ({@code memory.limit_in_bytes}). Needs root; {@link #create(long)} says why not
 * otherwise. Also drops one file from the page cache, so a reader starts cold.
 */
final class MemoryLimit implements AutoCloseable {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final Path group;
    private final boolean v2;
    private final long bytes;

    private MemoryLimit(Path group, boolean v2, long bytes) {
        this.group = group;
        this.v2 = v2;
        this.bytes = bytes;
    }

    /**
     * Creates a cgroup limited to {@code bytes}.
     *
     * @throws UnsupportedOperationException with the reason where this machine does not allow it
     */
    static MemoryLimit create(long bytes) {
        String name = "memshare-" + ProcessHandle.current().pid() + "-" + COUNT.incrementAndGet();
        boolean v2 = Files.isRegularFile(ROOT.resolve("cgroup.controllers"));
        Path parent = v2 ? ROOT : ROOT.resolve("memory");
        try {
            if (v2 && !Files.readString(ROOT.resolve("cgroup.controllers")).contains("memory")) {
                throw new UnsupportedOperationException("cgroup v2 without the memory controller");
            }
            if (!v2 && !Files.isDirectory(parent)) {
                throw new UnsupportedOperationException("no memory cgroup controller at " + parent);
            }
            Path group = Files.createDirectory(parent.resolve(name));
            MemoryLimit limit = new MemoryLimit(group, v2, bytes);
            try {
                if (v2) {
                    Files.writeString(group.resolve("memory.max"), Long.toString(bytes));
                    if (Files.exists(group.resolve("memory.swap.max"))) {
                        Files.writeString(group.resolve("memory.swap.max"), "0");
                    }
                } else {
                    Files.writeString(group.resolve("memory.limit_in_bytes"), Long.toString(bytes));
                }
            } catch (IOException | RuntimeException e) {
                limit.close();
                throw e;
            }
            return limit;
        } catch (IOException e) {
            throw new UnsupportedOperationException("cannot create a memory cgroup under " + parent
                + " (needs root and a writable cgroup file system): " + e.getMessage(), e);
        }
    }

    /** @return the limit in bytes */
    long bytes() {
        return bytes;
    }

    /**
     * @param command a command line
     * @return the same command, started inside this cgroup (a shell joins it, then becomes the command)
     */
    List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("sh", "-c",
            "echo $$ > '" + group.resolve("cgroup.procs") + "' && exec \"$0\" \"$@\""));
        wrapped.addAll(command);
        return wrapped;
    }

    /** @return the most memory the cgroup has used, page cache included; -1 where the kernel does not say */
    long peakBytes() {
        Path peak = group.resolve(v2 ? "memory.peak" : "memory.max_usage_in_bytes");
        try {
            return Files.exists(peak) ? Long.parseLong(Files.readString(peak).strip()) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Writes a file's dirty pages out and drops its pages from the page cache (with {@code dd
     * iflag=nocache}, else {@code /proc/sys/vm/drop_caches}), so the next reader reads from disk.
     *
     * @throws UnsupportedOperationException when neither is allowed here
     */
    static void dropFromPageCache(Path file) {
        try {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                channel.force(false); // dirty pages cannot be dropped
            }
            Process dd = new ProcessBuilder("dd", "if=" + file, "iflag=nocache", "count=0", "status=none")
                .redirectErrorStream(true).start();
            dd.getInputStream().readAllBytes();
            if (dd.waitFor() == 0) {
                return;
            }
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "1");
        } catch (IOException e) {
            throw new UnsupportedOperationException("cannot drop the page cache of " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Removes the cgroup (its processes must have ended; retried briefly while the kernel lets them go). */
    @Override
    public void close() {
        for (int attempt = 0; ; attempt++) {
            try {
                Files.deleteIfExists(group);
                return;
            } catch (IOException e) {
                if (attempt == 50) {
                    throw new UncheckedIOException("cannot remove cgroup: path=" + group, e);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedIOException("cannot remove cgroup: path=" + group, e);
                }
            }
        }
    }
}

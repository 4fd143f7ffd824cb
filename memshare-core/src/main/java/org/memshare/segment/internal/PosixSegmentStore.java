package org.memshare.segment.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.Consumer;
import org.memshare.segment.Access;
import org.memshare.segment.FileStatus;
import org.memshare.segment.OutOfSharedMemoryException;
import org.memshare.segment.StoreKind;

/**
 * POSIX shared memory as files in a tmpfs directory ({@code /dev/shm} is where {@code shm_open}
 * puts them on Linux), mapped with {@link FileChannel#map(FileChannel.MapMode, long, long, Arena)}.
 */
public final class PosixSegmentStore implements SegmentStore {
    /** Owner read and write only: other local users can neither read nor overwrite the data. */
    static final int MODE_OWNER_ONLY = 0600;
    private static final long PAGE = 4096;
    /** Below this, populating from one thread is faster than starting others. */
    private static final long PARALLEL_POPULATE_BYTES = 64L << 20;

    static {
        // The first downcall handle of a JVM takes tens of milliseconds to build (more on a busy
        // machine); every open needs several. Build those now, beside the rest of start-up (a worker
        // JVM creates its store first, then waits for work), not at the first open. The handles for
        // writing are built at the first create: a worker that only reads never builds them.
        Thread.ofPlatform().daemon().name("memshare-libc-init").start(() -> {
            try {
                LibC.initializeOpening();
            } catch (LinkageError e) {
                // Reported where it matters: the first open needs the same bindings and throws there.
            }
        });
    }

    private final Path directory;

    PosixSegmentStore(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public StoreKind kind() {
        return StoreKind.POSIX;
    }

    @Override
    public MappedSegment create(String name, long bytes, MemorySegment prefix) {
        Path path = resolve(name);
        int fd = openNew(name, path, bytes, prefix);
        TrustedFile file;
        try {
            file = TrustedFile.ofCreated(path, fd);
        } catch (RuntimeException | Error e) {
            LibC.close(fd);
            DirectoryFiles.deleteQuietly(path);
            throw e;
        }
        MappedSegment mapped;
        try {
            mapped = new MappedSegment(name, path, Access.READ_WRITE, file);
        } catch (RuntimeException | Error e) {
            DirectoryFiles.deleteQuietly(path);
            throw e;
        }
        try {
            reserve(fd, mapped, bytes);
            return mapped;
        } catch (RuntimeException | Error e) {
            mapped.close();
            DirectoryFiles.deleteQuietly(path);
            throw e;
        }
    }

    /**
     * Checks the size against the free space, creates the file ({@code O_CREAT|O_EXCL}, mode 0600),
     * writes the prefix into it at once and sets its size. On failure nothing is left behind.
     */
    private int openNew(String name, Path path, long bytes, MemorySegment prefix) {
        DirectoryFiles.checkNewSize(name, bytes, prefix.byteSize());
        long available = availableBytes();
        if (bytes > available) {
            throw new OutOfSharedMemoryException("not enough shared memory: requested=" + bytes
                + ", available=" + available + ", directory=" + directory + ", name=" + name);
        }
        LibC.Result opened = LibC.openExclusive(path.toString(), MODE_OWNER_ONLY);
        if (opened.failed()) {
            if (opened.errno() == LibC.EEXIST) {
                throw new SegmentExistsException("segment already exists: name=" + name + ", path=" + path);
            }
            throw new UncheckedIOException(new IOException("cannot create segment: path=" + path
                + ", errno=" + opened.errno() + " (" + LibC.strerror(opened.errno()) + ")"));
        }
        int fd = opened.value();
        try {
            // From here on the file is this process's: unlinked at exit unless released before.
            OwnFiles.add(path, TrustedFile.fstat(fd, path).identity());
        } catch (RuntimeException | Error e) {
            LibC.close(fd);
            DirectoryFiles.deleteQuietly(path);
            throw e;
        }
        int failed = prefix.byteSize() == 0 ? 0 : LibC.pwriteFully(fd, prefix, 0);
        String action = "write";
        if (failed == 0) {
            LibC.Result sized = LibC.ftruncate(fd, bytes);
            failed = sized.failed() ? sized.errno() : 0;
            action = "size";
        }
        if (failed != 0) {
            LibC.close(fd);
            DirectoryFiles.deleteQuietly(path);
            throw failure(action, name, path, bytes, failed);
        }
        return fd;
    }

    /**
     * The exception for a failed system call on a new segment: {@link OutOfSharedMemoryException}
     * when the file system or memory is full (ENOSPC, ENOMEM, and EFAULT from
     * {@code MADV_POPULATE_WRITE}), else an I/O error naming what failed.
     */
    private RuntimeException failure(String action, String name, Path path, long bytes, int errno) {
        String reason = "errno=" + errno + " (" + LibC.strerror(errno) + ")";
        if (errno == LibC.ENOSPC || errno == LibC.ENOMEM || errno == LibC.EFAULT) {
            return new OutOfSharedMemoryException("not enough shared memory: requested=" + bytes
                + ", directory=" + directory + ", name=" + name + ", " + reason);
        }
        return new UncheckedIOException(new IOException("cannot " + action + " segment: path=" + path + ", bytes=" + bytes
            + ", " + reason));
    }

    @Override
    public SegmentFile createByWriting(String name, long bytes, MemorySegment prefix, Consumer<SegmentOutput> writer) {
        Path path = resolve(name);
        int fd = openNew(name, path, bytes, prefix);
        try {
            SegmentOutput output = new SegmentOutput(bytes, (source, offset) -> {
                int errno = LibC.pwriteFully(fd, source, offset);
                if (errno != 0) {
                    throw failure("write", name, path, bytes, errno);
                }
            });
            output.markWritten(0, prefix.byteSize());
            writer.accept(output);
            // Pages the writer skipped are still holes: allocate them now, not at a reader's fault.
            for (long[] hole : output.holes()) {
                fallocate(fd, path, name, hole[0], hole[1] - hole[0]);
            }
            // The identity of the descriptor written: the file created, whatever the name denotes now.
            return new SegmentFile(TrustedFile.fstat(fd, path).identity(), bytes);
        } catch (RuntimeException | Error e) {
            DirectoryFiles.deleteQuietly(path);
            throw e;
        } finally {
            LibC.close(fd);
        }
    }

    /**
     * Makes every page of a new segment real now, so that a full file system is an exception here and
     * never a SIGBUS on a later write. {@code MADV_POPULATE_WRITE} (Linux 5.14+) allocates the pages
     * and maps them in one pass, in parallel for large segments; older kernels fall back to
     * {@code posix_fallocate}, which allocates but leaves the page faults for later.
     */
    private void reserve(int fd, MappedSegment mapped, long bytes) {
        MemorySegment whole = mapped.segment();
        int parts = bytes >= PARALLEL_POPULATE_BYTES ? Math.max(1, Runtime.getRuntime().availableProcessors()) : 1;
        long pageAlignedPart = ((bytes / parts) + PAGE - 1) & -PAGE;
        LibC.Result[] results = new LibC.Result[parts];
        Thread[] threads = new Thread[parts];
        for (int p = 0; p < parts; p++) {
            long from = Math.min(bytes, p * pageAlignedPart);
            long to = p == parts - 1 ? bytes : Math.min(bytes, from + pageAlignedPart);
            int index = p;
            Runnable populate = () -> results[index] = to > from
                ? LibC.madvise(whole.asSlice(from, to - from), LibC.MADV_POPULATE_WRITE) : new LibC.Result(0, 0);
            if (p == parts - 1) {
                populate.run();
            } else {
                threads[p] = Thread.ofPlatform().name("memshare-populate-" + p).start(populate);
            }
        }
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (thread != null && thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true; // the populate calls cannot be abandoned half-way: finish, then re-flag
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (LibC.Result result : results) {
            if (!result.failed()) {
                continue;
            }
            if (result.errno() == LibC.EINVAL) {
                fallocate(fd, mapped.path(), mapped.name(), 0, bytes);
                return;
            }
            throw failure("reserve space for", mapped.name(), mapped.path(), bytes, result.errno());
        }
    }

    private void fallocate(int fd, Path path, String name, long offset, long length) {
        long bytes = offset + length;
        int reserve = LibC.posixFallocate(fd, offset, length);
        if (reserve != 0) {
            throw failure("reserve space for", name, path, bytes, reserve);
        }
    }

    @Override
    public MappedSegment open(String name, Access access) {
        Path path = resolve(name);
        return new MappedSegment(name, path, access, TrustedFile.open(name, path, access == Access.READ_WRITE));
    }

    @Override
    public Optional<MemorySegment> readPrefix(String name, int bytes) {
        try (TrustedFile file = TrustedFile.open(name, resolve(name), false)) {
            return Optional.of(file.readPrefix(bytes));
        } catch (SegmentNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<FileStatus> status(String name) {
        return Optional.ofNullable(TrustedFile.lstat(resolve(name)));
    }

    private Path resolve(String name) {
        return DirectoryFiles.resolve(directory, name);
    }


    @Override
    public String toString() {
        return "PosixSegmentStore[directory=" + directory + "]";
    }
}

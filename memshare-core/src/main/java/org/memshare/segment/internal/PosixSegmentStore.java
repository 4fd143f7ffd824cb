package org.memshare.segment.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.memshare.segment.Access;
import org.memshare.segment.OutOfSharedMemoryException;

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

    private final Path directory;
    private final boolean macOs = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac");

    PosixSegmentStore(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public MappedSegment create(String name, long bytes, MemorySegment prefix) {
        Path path = resolve(name);
        int fd = openNew(name, path, bytes, prefix);
        MappedSegment mapped;
        try {
            mapped = map(name, path, Access.READ_WRITE);
        } catch (RuntimeException | Error e) {
            LibC.close(fd);
            deleteQuietly(path);
            throw e;
        }
        try {
            reserve(fd, mapped, bytes);
            return mapped;
        } catch (RuntimeException | Error e) {
            mapped.close();
            deleteQuietly(path);
            throw e;
        } finally {
            LibC.close(fd);
        }
    }

    /**
     * Checks the size against the free space, creates the file ({@code O_CREAT|O_EXCL}, mode 0600),
     * writes the prefix into it at once and sets its size. On failure nothing is left behind.
     */
    private int openNew(String name, Path path, long bytes, MemorySegment prefix) {
        if (prefix.byteSize() > bytes) {
            throw new IllegalArgumentException("prefix longer than the segment: prefix=" + prefix.byteSize()
                + ", bytes=" + bytes + ", name=" + name);
        }
        if (bytes <= 0) {
            throw new IllegalArgumentException("segment size must be positive: bytes=" + bytes + ", name=" + name);
        }
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
        int failed = prefix.byteSize() == 0 ? 0 : LibC.pwriteFully(fd, prefix, 0);
        String action = "write";
        if (failed == 0) {
            LibC.Result sized = LibC.ftruncate(fd, bytes);
            failed = sized.failed() ? sized.errno() : 0;
            action = "size";
        }
        if (failed != 0) {
            LibC.close(fd);
            deleteQuietly(path);
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
            SegmentOutput output = new SegmentOutput(fd, bytes, errno -> failure("write", name, path, bytes, errno));
            output.markWritten(0, prefix.byteSize());
            writer.accept(output);
            // Pages the writer skipped are still holes: allocate them now, not at a reader's fault.
            for (long[] hole : output.holes()) {
                fallocate(fd, path, name, hole[0], hole[1] - hole[0]);
            }
            Object fileKey = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            return new SegmentFile(fileKey, bytes);
        } catch (IOException e) {
            deleteQuietly(path);
            throw new UncheckedIOException("cannot create segment: path=" + path, e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(path);
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
        return map(name, resolve(name), access);
    }

    private MappedSegment map(String name, Path path, Access access) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = access == Access.READ_ONLY
            ? FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)
            : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            Object fileKey = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            long size = channel.size();
            if (size == 0) {
                throw new IllegalStateException("segment is empty: path=" + path);
            }
            MemorySegment segment = channel.map(access == Access.READ_ONLY
                ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE, 0, size, arena);
            return new MappedSegment(name, path, fileKey, access, arena, segment);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new SegmentNotFoundException("no such segment: name=" + name + ", path=" + path);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot map segment: path=" + path + ", access=" + access
                + " (check permissions, 'ulimit -v' and vm.max_map_count)", e);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    @Override
    public boolean exists(String name) {
        return Files.isRegularFile(resolve(name), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public Optional<MemorySegment> readPrefix(String name, int bytes) {
        Path path = resolve(name);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(bytes, channel.size()));
            while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
                // read until full or end of file
            }
            // Backed by a long[] so that aligned 8-byte reads (the magic) work on it as on a mapping.
            int read = buffer.position();
            MemorySegment aligned = MemorySegment.ofArray(new long[(read + 7) / 8]).asSlice(0, read);
            MemorySegment.copy(MemorySegment.ofArray(buffer.array()), 0, aligned, 0, read);
            return Optional.of(aligned);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read segment: path=" + path, e);
        }
    }

    @Override
    public Optional<SegmentFile> stat(String name) {
        return attributes(name).map(a -> new SegmentFile(a.fileKey(), a.size()));
    }

    private Optional<BasicFileAttributes> attributes(String name) {
        try {
            BasicFileAttributes attributes =
                Files.readAttributes(resolve(name), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() ? Optional.of(attributes) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read segment attributes: name=" + name, e);
        }
    }

    @Override
    public boolean unlink(String name) {
        try {
            return Files.deleteIfExists(resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unlink segment: name=" + name + ", directory=" + directory, e);
        }
    }

    @Override
    public List<String> list() {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    names.add(entry.getFileName().toString());
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list segment directory: directory=" + directory, e);
        }
        return names;
    }

    @Override
    public long availableBytes() {
        try {
            return Files.getFileStore(directory).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read free space: directory=" + directory, e);
        }
    }

    private Path resolve(String name) {
        SegmentName.validate("segment name", name);
        if (macOs) {
            SegmentName.validateForMacOs(name);
        }
        return directory.resolve(name);
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // The creation already failed; that error is the one to report.
        }
    }

    @Override
    public String toString() {
        return "PosixSegmentStore[directory=" + directory + "]";
    }
}

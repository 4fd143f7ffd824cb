package org.memshare.segment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
import java.util.Optional;

/**
 * POSIX shared memory as files in a tmpfs directory ({@code /dev/shm} is where {@code shm_open}
 * puts them on Linux), mapped with {@link FileChannel#map(FileChannel.MapMode, long, long, Arena)}.
 */
public final class PosixSegmentStore implements SegmentStore {
    /** Owner read and write only: other local users can neither read nor overwrite the data. */
    static final int MODE_OWNER_ONLY = 0600;

    private final Path directory;
    private final boolean macOs = System.getProperty("os.name", "").toLowerCase().contains("mac");

    PosixSegmentStore(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public MappedSegment create(String name, long bytes) {
        Path path = resolve(name);
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
        int reserve;
        try {
            reserve = LibC.posixFallocate(fd, 0, bytes);
        } finally {
            LibC.close(fd);
        }
        if (reserve != 0) {
            deleteQuietly(path);
            String reason = "errno=" + reserve + " (" + LibC.strerror(reserve) + ")";
            if (reserve == LibC.ENOSPC) {
                throw new OutOfSharedMemoryException("not enough shared memory: requested=" + bytes
                    + ", directory=" + directory + ", name=" + name + ", " + reason);
            }
            throw new UncheckedIOException(new IOException("cannot reserve segment space: path=" + path
                + ", bytes=" + bytes + ", " + reason));
        }
        try {
            return map(name, path, Access.READ_WRITE);
        } catch (RuntimeException | Error e) {
            deleteQuietly(path);
            throw e;
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
    public Optional<Long> size(String name) {
        return attributes(name).map(BasicFileAttributes::size);
    }

    @Override
    public Optional<Object> fileKey(String name) {
        return attributes(name).map(BasicFileAttributes::fileKey);
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

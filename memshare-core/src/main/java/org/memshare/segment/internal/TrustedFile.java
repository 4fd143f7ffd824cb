package org.memshare.segment.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.memshare.segment.Access;
import org.memshare.segment.FileStatus;
import org.memshare.segment.UntrustedSegmentException;

/**
 * An open descriptor of a file in the segment directory that passed the trust check: opened without
 * following a symbolic link and without blocking ({@code O_NOFOLLOW|O_NONBLOCK|O_CLOEXEC}), then
 * checked with {@code statx} on the descriptor itself, so the file checked is the file used. It must
 * be a regular file, owned by this process's effective uid, and not writable by group or others (R
 * memshare's objects, 0666 less a usual umask of 022, are 0644 and pass).
 */
final class TrustedFile implements MappableFile {

    private final Path path;
    private final int fd;
    private final FileStatus status;
    private boolean closed;

    private TrustedFile(Path path, int fd, FileStatus status) {
        this.path = path;
        this.fd = fd;
        this.status = status;
    }

    /**
     * Opens and checks a segment file.
     *
     * @throws SegmentNotFoundException when there is no such file
     * @throws UntrustedSegmentException when it is not a regular file of this user, or others may write it
     * @throws UncheckedIOException for any other failure, naming the path and errno
     */
    static TrustedFile open(String name, Path path, boolean writable) {
        LibC.Result opened = LibC.openNoFollow(path.toString(), writable);
        if (opened.failed()) {
            throw openFailure(name, path, opened.errno());
        }
        int fd = opened.value();
        try {
            FileStatus status = fstat(fd, path);
            check(path, status);
            LibC.Result cleared = LibC.clearNonBlocking(fd);
            if (cleared.failed()) {
                throw ioFailure("cannot clear O_NONBLOCK on", path, cleared.errno());
            }
            return new TrustedFile(path, fd, status);
        } catch (RuntimeException | Error e) {
            LibC.close(fd);
            throw e;
        }
    }

    /**
     * Refuses a file that is not a regular file of this user, or that others may write.
     *
     * @throws UntrustedSegmentException naming the path and the reason
     */
    static void check(Path path, FileStatus status) {
        check(path, status, Euid.VALUE);
    }

    /** This process's effective uid, read when first needed (the file store checks without libc). */
    private static final class Euid {
        static final long VALUE = Integer.toUnsignedLong(LibC.geteuid());
    }

    /**
     * Refuses a file that is not a regular file of user {@code euid}, or that others may write.
     *
     * @throws UntrustedSegmentException naming the path and the reason
     */
    static void check(Path path, FileStatus status, long euid) {
        if (status.type() != FileStatus.Type.REGULAR) {
            throw notRegular(path, status.type());
        }
        if (status.uid() != euid) {
            throw new UntrustedSegmentException(path, UntrustedSegmentException.Reason.OTHER_OWNER, status.type(),
                "owned by another user (uid=" + status.uid() + ", this process runs as uid=" + euid + ")");
        }
        if (status.writableByOthers()) {
            throw new UntrustedSegmentException(path, UntrustedSegmentException.Reason.WRITABLE_BY_OTHERS, status.type(),
                "writable by group or others (mode=" + status.octalPermissions() + ")");
        }
    }

    /** @return the status of the file a path names, without following a link or opening it; null when absent */
    static FileStatus lstat(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Statx.BYTES, 8);
            LibC.Result result = LibC.lstat(path.toString(), buffer);
            if (result.failed()) {
                if (result.errno() == LibC.ENOENT) {
                    return null;
                }
                throw ioFailure("cannot stat", path, result.errno());
            }
            return Statx.decode(buffer);
        }
    }

    /**
     * Wraps the descriptor of a file this process just created exclusively (so no check is needed);
     * the new object owns the descriptor.
     */
    static TrustedFile ofCreated(Path path, int fd) {
        return new TrustedFile(path, fd, fstat(fd, path));
    }

    static FileStatus fstat(int fd, Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Statx.BYTES, 8);
            LibC.Result result = LibC.fstat(fd, buffer);
            if (result.failed()) {
                throw ioFailure("cannot stat", path, result.errno());
            }
            return Statx.decode(buffer);
        }
    }

    private static UntrustedSegmentException notRegular(Path path, FileStatus.Type type) {
        String article = type == FileStatus.Type.UNKNOWN ? "an unknown kind of file" : "a " + type.label();
        return new UntrustedSegmentException(path, UntrustedSegmentException.Reason.NOT_A_REGULAR_FILE, type,
            article + ", not a regular file" + (type == FileStatus.Type.SYMBOLIC_LINK ? " (links are never followed)" : ""));
    }

    /** Turns a failed open into the most precise exception: a missing, untrusted or unreadable file. */
    private static RuntimeException openFailure(String name, Path path, int errno) {
        if (errno == LibC.ENOENT) {
            return new SegmentNotFoundException("no such segment: name=" + name + ", path=" + path);
        }
        if (errno == LibC.ELOOP) {
            return notRegular(path, FileStatus.Type.SYMBOLIC_LINK);
        }
        if (errno == LibC.EISDIR || errno == LibC.ENXIO || errno == LibC.EACCES || errno == LibC.EPERM) {
            // Say what the file is: a socket (ENXIO), a directory (EISDIR), another user's file (EACCES).
            FileStatus status = lstat(path);
            if (status == null) {
                return new SegmentNotFoundException("no such segment: name=" + name + ", path=" + path);
            }
            try {
                check(path, status);
            } catch (UntrustedSegmentException e) {
                return e;
            }
        }
        return ioFailure("cannot open", path, errno);
    }

    static UncheckedIOException ioFailure(String action, Path path, int errno) {
        return new UncheckedIOException(new IOException(action + " segment: path=" + path + ", errno=" + errno
            + " (" + LibC.strerror(errno) + ")"));
    }

    /** @return the checked status at open */
    FileStatus status() {
        return status;
    }

    @Override
    public FileStatus.Identity identity() {
        return status.identity();
    }

    /** @return the size of the file now, from the descriptor (the name may meanwhile denote another file) */
    @Override
    public long currentSize() {
        return fstat(fd, path).size();
    }

    /**
     * Reads up to {@code bytes} bytes from offset 0 with {@code pread}, without mapping: a sparse or
     * truncated file cannot fault this way.
     */
    MemorySegment readPrefix(int bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Math.max(1, bytes), 8);
            long read = LibC.preadFully(fd, buffer.asSlice(0, bytes), 0);
            if (read < 0) {
                throw ioFailure("cannot read", path, (int) -read);
            }
            // Backed by a long[] so that aligned 8-byte reads (the magic) work on it as on a mapping.
            MemorySegment copy = MemorySegment.ofArray(new long[(int) ((read + 7) / 8)]).asSlice(0, read);
            MemorySegment.copy(buffer, 0, copy, 0, read);
            return copy;
        }
    }

    /**
     * Maps the whole file (its size at open) into {@code arena}; closing the arena unmaps it and closes
     * this descriptor, which the mapping keeps so that a later fault can be explained from the file's
     * size. An empty file maps as an empty segment (the format layer then reports it as too short).
     */
    @Override
    public MemorySegment map(Access access, Arena arena) {
        long size = status.size();
        if (size == 0) {
            return MemorySegment.NULL.reinterpret(0, arena, s -> close());
        }
        int[] errno = new int[1];
        MemorySegment address = LibC.mmap(fd, size, access == Access.READ_WRITE, errno);
        if (address.equals(MemorySegment.NULL)) {
            throw new UncheckedIOException(new IOException("cannot map segment: path=" + path + ", bytes=" + size
                + ", access=" + access + ", errno=" + errno[0] + " (" + LibC.strerror(errno[0]) + ")"
                + (errno[0] == LibC.ENOMEM ? " (check 'ulimit -v' and vm.max_map_count)" : "")));
        }
        long start = address.address();
        MemorySegment mapped = address.reinterpret(size, arena, s -> {
            LibC.munmap(start, size);
            close();
        });
        return access == Access.READ_ONLY ? mapped.asReadOnly() : mapped;
    }

    /** Closes the descriptor. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
        }
    }
}

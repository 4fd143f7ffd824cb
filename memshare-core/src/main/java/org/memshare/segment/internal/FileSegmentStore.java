package org.memshare.segment.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.memshare.segment.Access;
import org.memshare.segment.FileStatus;
import org.memshare.segment.OutOfSharedMemoryException;
import org.memshare.segment.StoreKind;

/**
 * Segments as ordinary files in any directory, through JDK APIs alone: {@link FileChannel} mapped into
 * an {@link Arena}, {@link ProcessHandle} and {@code java.nio.file}. It is the store of macOS and
 * Windows, and on Linux the store of a directory on disk (data larger than memory, paged in and out
 * by the page cache). The files, their header and their lifecycle are the same as
 * {@link PosixSegmentStore}'s, so either store, and the Python module, reads what the other wrote.
 *
 * <p>Every file in the directory is treated as hostile, with the checks of the POSIX store done
 * with JDK means ({@link SegmentFileCheck}): the directory must be one other users cannot rename
 * or replace entries in; a name is opened only after its attributes, read without following links,
 * show a regular file of this user that nobody else may write, never through a symbolic link, and the
 * file opened is compared by identity with the file checked.
 *
 * <p>Space is allocated when a segment is created, so a full disk is an {@link OutOfSharedMemoryException}
 * there and never a SIGBUS later: {@link #createByWriting} writes each byte once with positional writes,
 * which allocate as they go, then fills what the writer skipped with zeros; {@link #create(String, long,
 * MemorySegment)}, which hands out a mapping to write through, writes zeros once before mapping (the
 * JDK offers no {@code fallocate}), so prefer the writing path for large data.
 */
public final class FileSegmentStore implements SegmentStore {
    private static final int ZERO_CHUNK = 1 << 20;

    private final Path directory;
    private final boolean isDefault;
    private final SegmentFileCheck check;
    private final OperatingSystem system;

    /**
     * @param directory the segment directory
     * @param isDefault true for the operating system's default directory, which is created owner-only
     *     when missing; a directory given by the user must exist
     */
    FileSegmentStore(Path directory, boolean isDefault) {
        this(directory, isDefault, OperatingSystem.current());
    }

    /** @param system whose rules apply (the running one, except in tests of another system's rules) */
    FileSegmentStore(Path directory, boolean isDefault, OperatingSystem system) {
        this.directory = directory.toAbsolutePath().normalize();
        this.isDefault = isDefault;
        this.check = new SegmentFileCheck(this.directory);
        this.system = system;
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public StoreKind kind() {
        return StoreKind.FILE;
    }

    @Override
    public MappedSegment create(String name, long bytes, MemorySegment prefix) {
        Path path = resolve(name);
        FileChannel channel = createNew(name, path, bytes, prefix);
        try {
            // Reserve: zeros written once allocate every block, so no later write through the mapping
            // can meet a full disk as SIGBUS.
            writeZeros(channel, prefix.byteSize(), bytes);
            FileStatus status = created(path);
            return new MappedSegment(name, path, Access.READ_WRITE, new ChannelFile(path, channel, status));
        } catch (IOException e) {
            closeQuietly(channel);
            DirectoryFiles.deleteQuietly(path);
            throw failure(name, path, bytes, e);
        } catch (RuntimeException | Error e) {
            closeQuietly(channel);
            DirectoryFiles.deleteQuietly(path);
            throw e;
        }
    }

    @Override
    public SegmentFile createByWriting(String name, long bytes, MemorySegment prefix, Consumer<SegmentOutput> writer) {
        Path path = resolve(name);
        FileChannel channel = createNew(name, path, bytes, prefix);
        try (channel; Arena buffers = Arena.ofConfined()) {
            SegmentOutput output = new SegmentOutput(bytes, new ChannelTarget(channel, path, buffers));
            output.markWritten(0, prefix.byteSize());
            writer.accept(output);
            // Holes are allocated at a reader's first fault, where a full disk is SIGBUS: fill them now.
            for (long[] hole : output.holes()) {
                writeZeros(channel, hole[0], hole[1]);
            }
            return new SegmentFile(created(path).identity(), bytes);
        } catch (UncheckedIOException e) {
            DirectoryFiles.deleteQuietly(path);
            throw failure(name, path, bytes, e.getCause());
        } catch (IOException e) {
            DirectoryFiles.deleteQuietly(path);
            throw failure(name, path, bytes, e);
        } catch (RuntimeException | Error e) {
            DirectoryFiles.deleteQuietly(path);
            throw e;
        }
    }

    /**
     * Checks the size against the free space, creates the file exclusively and owner-only in one step
     * ({@code CREATE_NEW} with the permissions as a creation attribute, never following a link) and
     * writes the prefix at once. On failure nothing is left behind.
     */
    private FileChannel createNew(String name, Path path, long bytes, MemorySegment prefix) {
        DirectoryFiles.checkNewSize(name, bytes, prefix.byteSize());
        check.checkDirectory(isDefault);
        long available = availableBytes();
        if (bytes > available) {
            throw new OutOfSharedMemoryException("not enough space for the segment: requested=" + bytes
                + ", available=" + available + ", directory=" + directory + ", name=" + name);
        }
        if (system.namesIgnoreCase()) {
            // One name whatever the volume: a case-sensitive volume on macOS must not hold both.
            for (String existing : list()) {
                if (existing.equalsIgnoreCase(name)) {
                    throw new SegmentExistsException("segment already exists: name=" + name + ", existing=" + existing
                        + " (names differing only by case are one name on " + system.label() + "), path=" + path);
                }
            }
        }
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        FileChannel channel;
        try {
            channel = FileChannel.open(path, options, check.ownerOnlyFile());
        } catch (FileAlreadyExistsException e) {
            throw new SegmentExistsException("segment already exists: name=" + name + ", path=" + path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create segment: path=" + path + " (" + reason(e) + ")", e);
        }
        try {
            // From here a SIGTERM unlinks the file (the shutdown hook of OwnFiles): nothing half-made stays.
            OwnFiles.add(path, created(path).identity());
            if (prefix.byteSize() > 0) {
                ByteBuffer head = ByteBuffer.allocate(Math.toIntExact(prefix.byteSize()));
                MemorySegment.copy(prefix, 0, MemorySegment.ofBuffer(head), 0, prefix.byteSize());
                writeFully(channel, head, 0);
            }
            return channel;
        } catch (IOException e) {
            closeQuietly(channel);
            DirectoryFiles.deleteQuietly(path);
            throw failure(name, path, bytes, e);
        } catch (RuntimeException | Error e) {
            closeQuietly(channel);
            DirectoryFiles.deleteQuietly(path);
            throw e;
        }
    }

    /** @return the status of a file this store just created (gone meanwhile is an I/O error naming it) */
    private FileStatus created(Path path) throws NoSuchFileException {
        return check.status(path).orElseThrow(() -> new NoSuchFileException(path.toString()));
    }

    private static void writeZeros(FileChannel channel, long from, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(ZERO_CHUNK, Math.max(1, to - from)));
        for (long at = from; at < to; ) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - at));
            at += writeFully(channel, zeros, at);
        }
    }

    private static int writeFully(FileChannel channel, ByteBuffer bytes, long offset) throws IOException {
        int length = bytes.remaining();
        while (bytes.hasRemaining()) {
            channel.write(bytes, offset + length - bytes.remaining());
        }
        return length;
    }

    /** A full disk becomes {@link OutOfSharedMemoryException}; anything else an I/O error naming the path. */
    private RuntimeException failure(String name, Path path, long bytes, IOException e) {
        if (isOutOfSpace(e)) {
            return new OutOfSharedMemoryException("not enough space for the segment: requested=" + bytes
                + ", directory=" + directory + ", name=" + name + " (" + reason(e) + ")");
        }
        return new UncheckedIOException("cannot write segment: path=" + path + ", bytes=" + bytes + " (" + reason(e) + ")", e);
    }

    /** The JDK reports ENOSPC (and Windows' ERROR_DISK_FULL) as an IOException carrying the system's text. */
    private static boolean isOutOfSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("No space left") || message.contains("not enough space")
                || message.contains("disk is full"))) {
                return true;
            }
        }
        return false;
    }

    private static String reason(IOException e) {
        return e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : String.valueOf(e.getMessage());
    }

    @Override
    public MappedSegment open(String name, Access access) {
        Path path = resolve(name);
        check.checkDirectory(isDefault);
        FileStatus before = check.trusted(name, path);
        FileChannel channel;
        try {
            channel = access == Access.READ_ONLY
                ? FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new SegmentNotFoundException("no such segment: name=" + name + ", path=" + path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open segment: path=" + path + ", access=" + access + " (" + reason(e) + ")", e);
        }
        try {
            check.sameFile(path, before);
            return new MappedSegment(name, path, access, new ChannelFile(path, channel, before));
        } catch (RuntimeException | Error e) {
            closeQuietly(channel);
            throw e;
        }
    }

    @Override
    public Optional<MemorySegment> readPrefix(String name, int bytes) {
        Path path = resolve(name);
        check.checkDirectory(isDefault);
        FileStatus before;
        try {
            before = check.trusted(name, path);
        } catch (SegmentNotFoundException e) {
            return Optional.empty();
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            check.sameFile(path, before);
            return Optional.of(DirectoryFiles.readPrefix(channel, bytes));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read segment: path=" + path + " (" + reason(e) + ")", e);
        }
    }

    @Override
    public Optional<FileStatus> status(String name) {
        return check.status(resolve(name));
    }

    @Override
    public boolean namesIgnoreCase() {
        return system.namesIgnoreCase();
    }

    @Override
    public boolean unlink(String name) {
        return DirectoryFiles.unlink(directory, resolve(name).getFileName().toString());
    }

    /**
     * The path of a name. Where names ignore case, the file another case made when none has this
     * very name: one name whatever the volume (macOS volumes may be case-sensitive).
     */
    private Path resolve(String name) {
        Path exact = DirectoryFiles.resolve(directory, name);
        if (!system.namesIgnoreCase() || Files.exists(exact, LinkOption.NOFOLLOW_LINKS)) {
            return exact;
        }
        for (String existing : list()) {
            if (existing.equalsIgnoreCase(name)) {
                return DirectoryFiles.resolve(directory, existing);
            }
        }
        return exact;
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing after a failed write: the write's error is the one to report.
        }
    }

    @Override
    public String toString() {
        return "FileSegmentStore[directory=" + directory + "]";
    }

    /**
     * Positional writes through a {@link FileChannel}: native data is written in place, heap data
     * passes through one reused native buffer. An I/O error is an {@link UncheckedIOException}, which
     * {@link #createByWriting} turns into the store's failure (out of space, or the path).
     */
    private static final class ChannelTarget implements SegmentOutput.PositionalWrites {
        private static final int BUFFER_BYTES = 4 << 20;

        private final FileChannel channel;
        private final Path path;
        private final Arena arena;
        private MemorySegment buffer;

        ChannelTarget(FileChannel channel, Path path, Arena arena) {
            this.channel = channel;
            this.path = path;
            this.arena = arena;
        }

        @Override
        public void write(MemorySegment source, long offset) {
            try {
                long done = 0;
                while (done < source.byteSize()) {
                    int length = (int) Math.min(BUFFER_BYTES, source.byteSize() - done);
                    ByteBuffer bytes;
                    if (source.isNative()) {
                        bytes = source.asSlice(done, length).asByteBuffer();
                    } else {
                        if (buffer == null) {
                            buffer = arena.allocate(BUFFER_BYTES, 4096);
                        }
                        MemorySegment.copy(source, done, buffer, 0, length);
                        bytes = buffer.asSlice(0, length).asByteBuffer();
                    }
                    while (bytes.hasRemaining()) {
                        channel.write(bytes, offset + done + bytes.position());
                    }
                    done += length;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write segment: path=" + path + ", offset=" + offset, e);
            }
        }
    }
}

package org.memshare.segment.internal;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.memshare.segment.SegmentDirectory;
import org.memshare.segment.StoreKind;
import org.memshare.segment.Access;
import org.memshare.segment.OutOfSharedMemoryException;
import java.util.function.Consumer;
import org.memshare.segment.FileStatus;

/**
 * A directory of named shared-memory segments: the whole operating-system surface memshare uses.
 * Two implementations hold the same files in the same format: {@link PosixSegmentStore} (Linux's
 * {@code /dev/shm} through a few libc calls, the default on Linux) and {@link FileSegmentStore} (JDK
 * APIs alone, any directory on any system, the default on macOS and Windows). Which one serves a
 * process is chosen by {@link StoreKind#configured()}; nothing above this interface changes.
 *
 * <p>Every file in the directory is treated as hostile: the directory is writable by every local
 * user. An existing segment is opened without following a symbolic link and without blocking, and
 * mapped only when it is a regular file owned by this process's effective user that group and others
 * may not write; anything else is an {@link UntrustedSegmentException} naming the path and the
 * reason. Segments this process created are unlinked when the JVM shuts down (normal exit, SIGTERM,
 * SIGINT) unless unlinked before, without waiting for any thread: a registration interrupted at any
 * point leaves no file behind.
 *
 * {@snippet :
 * SegmentStore store = SegmentStore.system();
 * try (MappedSegment s = store.create("example", 4096)) {   // exclusive, mode 0600, space reserved
 *     s.segment().set(ValueLayout.JAVA_LONG, 0, 42L);
 * }
 * try (MappedSegment s = store.open("example", Access.READ_ONLY)) {
 *     long value = s.segment().get(ValueLayout.JAVA_LONG, 0);
 * }
 * store.unlink("example");
 * }
 */
public sealed interface SegmentStore permits PosixSegmentStore, FileSegmentStore {

    /**
     * The configured store ({@link StoreKind#configured()}) over the configured directory
     * ({@link SegmentDirectory#named()}, else the operating system's default for that store:
     * {@code /dev/shm} for the POSIX store; for the file store a per-user directory, created
     * owner-only when missing).
     *
     * @return the store of this machine's shared memory (or the configured directory)
     */
    static SegmentStore system() {
        StoreKind kind = StoreKind.configured();
        Optional<Path> named = SegmentDirectory.named();
        if (named.isEmpty()) {
            Path directory = SegmentDirectory.configured(kind);
            return kind == StoreKind.FILE ? new FileSegmentStore(directory, true) : of(kind, directory);
        }
        return of(kind, named.get());
    }

    /**
     * @param directory a segment directory, for example a test's own
     * @return the configured store ({@link StoreKind#configured()}) over that directory
     */
    static SegmentStore forDirectory(Path directory) {
        return of(StoreKind.configured(), directory);
    }

    /**
     * @param kind which store
     * @param directory an existing segment directory (a tmpfs one for {@link StoreKind#POSIX})
     * @return that store over that directory
     * @throws IllegalArgumentException for {@link StoreKind#POSIX} on another system than Linux
     */
    static SegmentStore of(StoreKind kind, Path directory) {
        return switch (kind) {
            case POSIX -> {
                if (!(OperatingSystem.current() instanceof OperatingSystem.Linux)) {
                    // Its libc constants (open flags, errno values, the statx layout) are Linux's.
                    throw new IllegalArgumentException("store=posix runs on Linux only: os="
                        + OperatingSystem.current().label() + ", use store=file");
                }
                yield new PosixSegmentStore(directory);
            }
            case FILE -> new FileSegmentStore(directory, false);
        };
    }

    /** @return which of the two stores this is */
    StoreKind kind();

    /** @return the directory holding the segments */
    Path directory();

    /**
     * Creates a segment exclusively, with owner-only permissions, reserves its space and maps it
     * read-write. The new segment is zero-filled.
     *
     * @throws SegmentExistsException when the name exists, whoever made it
     * @throws OutOfSharedMemoryException when the file system cannot hold {@code bytes}; no file is left
     * @throws IllegalArgumentException for an invalid name or a negative or zero size
     */
    default MappedSegment create(String name, long bytes) {
        return create(name, bytes, MemorySegment.NULL);
    }

    /**
     * Like {@link #create(String, long)}, but writes {@code prefix} at offset 0 the moment the file
     * exists, before its space is reserved (which takes long for a large segment): a process killed
     * meanwhile leaves a file whose first bytes say whose it is, so it can be found and reclaimed.
     */
    MappedSegment create(String name, long bytes, MemorySegment prefix);

    /**
     * Creates a segment exclusively, with owner-only permissions, and fills it with positional writes
     * instead of through a mapping: the fastest way to copy data that is already in memory. Every
     * page of the file is allocated before this returns (holes the writer left are filled with
     * zeros), so readers can never meet a full file system as SIGBUS. If the writer throws, no file
     * is left behind.
     *
     * @param prefix written at offset 0 the moment the file exists, as for {@link #create(String, long, MemorySegment)}
     * @param writer writes the content; unwritten bytes read as zero
     * @return identity and size of the new file
     * @throws SegmentExistsException when the name exists, whoever made it
     * @throws OutOfSharedMemoryException when the file system cannot hold {@code bytes}; no file is left
     */
    SegmentFile createByWriting(String name, long bytes, MemorySegment prefix, Consumer<SegmentOutput> writer);

    /**
     * Maps an existing segment in full. An empty file maps as an empty segment.
     *
     * @param name the segment's file name
     * @param access how to map it
     * @return the mapping, which keeps the file's descriptor until closed
     * @throws SegmentNotFoundException when there is no such segment
     * @throws UntrustedSegmentException when the name denotes a symbolic link, FIFO, socket, device or
     *     directory, another user's file, or a file that group or others may write
     */
    MappedSegment open(String name, Access access);

    /**
     * Whether two names that differ only by case are one segment here (the file store on macOS and
     * Windows); the registry then keys its tables the same way.
     *
     * @return whether names are compared without regard to case
     */
    default boolean namesIgnoreCase() {
        return false;
    }

    /** @return whether a segment of that name exists now */
    default boolean exists(String name) {
        return status(name).map(status -> status.type() == FileStatus.Type.REGULAR).orElse(false);
    }

    /** @return the size in bytes of the segment, if it exists */
    default Optional<Long> size(String name) {
        return stat(name).map(SegmentFile::size);
    }

    /** @return the file identity (device, inode) of the segment, if it exists */
    default Optional<Object> fileKey(String name) {
        return stat(name).map(SegmentFile::fileKey);
    }

    /**
     * Reads the first bytes of a segment with {@code pread}, without mapping it: a damaged or sparse
     * file cannot fault this way.
     *
     * @return up to {@code bytes} bytes from offset 0 (fewer when the file is shorter), or empty when
     *     the segment does not exist
     * @throws UntrustedSegmentException as for {@link #open(String, Access)}
     */
    Optional<MemorySegment> readPrefix(String name, int bytes);

    /** @return identity and size of the segment in one look-up, if it exists and is a regular file */
    default Optional<SegmentFile> stat(String name) {
        return status(name).filter(status -> status.type() == FileStatus.Type.REGULAR)
            .map(status -> new SegmentFile(status.identity(), status.size()));
    }

    /**
     * What the name denotes, whatever it is, without opening it or following a link ({@code lstat}).
     *
     * @param name a file name in the directory
     * @return type, permissions, owner, size and identity, or empty when nothing has that name
     */
    Optional<FileStatus> status(String name);

    /**
     * Removes the name. Processes that have the segment mapped keep their mapping; the memory is
     * freed when the last of them unmaps.
     *
     * @return false when there was no such segment
     */
    default boolean unlink(String name) {
        return DirectoryFiles.unlink(directory(), name);
    }

    /**
     * @return the names of all entries in the directory, whatever they are (files, links, FIFOs,
     *     directories), in no particular order: callers classify them by opening or {@link #status}
     */
    default List<String> list() {
        return DirectoryFiles.list(directory());
    }

    /** @return bytes a new segment may use now */
    default long availableBytes() {
        return DirectoryFiles.availableBytes(directory());
    }
}

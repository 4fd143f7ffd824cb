package org.memshare.segment.internal;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.memshare.segment.SegmentDirectory;
import org.memshare.segment.Access;
import org.memshare.segment.OutOfSharedMemoryException;
import java.util.function.Consumer;

/**
 * A directory of named shared-memory segments: the whole operating-system surface memshare uses.
 * Linux is implemented by {@link PosixSegmentStore}; another OS gets another implementation of this
 * interface and nothing above it changes.
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
public sealed interface SegmentStore permits PosixSegmentStore {

    /** @return the store of this machine's shared memory (or the configured directory, see {@link SegmentDirectory}) */
    static SegmentStore system() {
        return forDirectory(SegmentDirectory.configured());
    }

    /**
     * @param directory a directory on a memory file system (tmpfs), for example a test's own
     * @return a store over that directory
     */
    static SegmentStore forDirectory(Path directory) {
        return new PosixSegmentStore(directory);
    }

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
     * Maps an existing segment in full.
     *
     * @throws SegmentNotFoundException when there is no such segment
     */
    MappedSegment open(String name, Access access);

    /** @return whether a segment of that name exists now */
    boolean exists(String name);

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
     */
    Optional<MemorySegment> readPrefix(String name, int bytes);

    /** @return identity and size of the segment in one look-up, if it exists */
    Optional<SegmentFile> stat(String name);

    /**
     * Removes the name. Processes that have the segment mapped keep their mapping; the memory is
     * freed when the last of them unmaps.
     *
     * @return false when there was no such segment
     */
    boolean unlink(String name);

    /** @return the names of all regular files in the directory, in no particular order */
    List<String> list();

    /** @return bytes a new segment may use now */
    long availableBytes();
}

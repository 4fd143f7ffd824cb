package org.memshare.segment.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What both stores do alike with the directory through {@code java.nio.file}: resolve a name, list
 * the directory, read the head of a file, remove a name, and tell the free space.
 */
final class DirectoryFiles {
    private DirectoryFiles() {
    }

    /** @return {@code name} in {@code directory}, after checking it is a valid segment name */
    static Path resolve(Path directory, String name) {
        SegmentName.validate("segment name", name);
        return directory.resolve(name);
    }

    /** Removes a name and forgets it as this process's file; @return false when nothing had that name */
    static boolean unlink(Path directory, String name) {
        Path path = resolve(directory, name);
        OwnFiles.remove(path);
        try {
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unlink segment: path=" + path + " (" + unlinkReason(e) + ")", e);
        }
    }

    /** The cause of a failed unlink in words: the JDK's exceptions carry little more than the path. */
    private static String unlinkReason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied: in a sticky directory such as /dev/shm only a file's owner may remove it";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "a directory that is not empty";
        }
        return e.getMessage();
    }

    /** Removes a file whose creation failed; that failure is the error to report, not this one. */
    static void deleteQuietly(Path path) {
        OwnFiles.remove(path);
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // The creation already failed; that error is the one to report.
        }
    }

    /** @return the names of every entry in {@code directory}, whatever it is; none when it does not exist */
    static List<String> list(Path directory) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list segment directory: directory=" + directory, e);
        }
        return names;
    }

    /**
     * Reads from offset 0 with positional reads, without mapping: a damaged or sparse file cannot fault.
     *
     * @return up to {@code bytes} bytes, fewer when the file is shorter, backed by a {@code long[]} so
     *     that aligned 8-byte reads (the magic) work on it as on a mapping
     */
    static MemorySegment readPrefix(FileChannel channel, int bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(bytes, channel.size()));
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
            // read until full or end of file
        }
        int read = buffer.position();
        MemorySegment aligned = MemorySegment.ofArray(new long[(read + 7) / 8]).asSlice(0, read);
        MemorySegment.copy(MemorySegment.ofArray(buffer.array()), 0, aligned, 0, read);
        return aligned;
    }

    /**
     * Checks the size of a new segment before anything is created, alike in both stores.
     *
     * @throws IllegalArgumentException when {@code bytes} is not positive or the prefix is longer
     */
    static void checkNewSize(String name, long bytes, long prefixBytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("segment size must be positive: bytes=" + bytes + ", name=" + name);
        }
        if (prefixBytes > bytes) {
            throw new IllegalArgumentException("prefix longer than the segment: prefix=" + prefixBytes
                + ", bytes=" + bytes + ", name=" + name);
        }
    }

    /** @return bytes a new file in {@code directory} (or, while it is missing, its parent) may use now */
    static long availableBytes(Path directory) {
        try {
            return Files.getFileStore(Files.exists(directory) ? directory : directory.getParent()).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read free space: directory=" + directory, e);
        }
    }
}

package org.memshare.segment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What both stores do alike with the directory through {@code java.nio.file}: list it, look a name
 * up, remove a name, and tell the free space. Never follows a symbolic link.
 */
final class SegmentDirectory {
    private SegmentDirectory() {
    }

    /** @return the names of the regular files in {@code directory}; none when it does not exist */
    static List<String> list(Path directory) {
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

    /** @return identity and size of the regular file {@code path}, or empty when there is none */
    static Optional<SegmentFile> stat(String name, Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile()
                ? Optional.of(new SegmentFile(attributes.fileKey(), attributes.size())) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read segment attributes: name=" + name + ", path=" + path, e);
        }
    }

    /** @return false when nothing had that name */
    static boolean unlink(String name, Path path) {
        try {
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unlink segment: name=" + name + ", path=" + path, e);
        }
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

    /** @return bytes a new file in {@code directory} (or, while it is missing, its parent) may use now */
    static long availableBytes(Path directory) {
        try {
            return Files.getFileStore(Files.exists(directory) ? directory : directory.getParent()).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read free space: directory=" + directory, e);
        }
    }
}

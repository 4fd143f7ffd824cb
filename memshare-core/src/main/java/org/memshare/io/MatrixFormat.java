package org.memshare.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * The formats a matrix file may have, recognised by their first bytes and, for text, by the name.
 * Magic bytes decide: {@code \x93NUMPY} is NumPy's, {@code 1f 8b} gzip, {@code MSMATRIX} memshare's
 * binary; a file whose name promises one of these but whose bytes do not is refused, not guessed.
 */
public enum MatrixFormat {
    /** NumPy's {@code .npy}, see {@link NpyHeader}. */
    NPY("npy", NpyHeader.MAGIC, ".npy"),
    /** CSV compressed with gzip ({@code .csv.gz}). */
    CSV_GZIP("csv.gz", new byte[] {0x1f, (byte) 0x8b}, ".gz"),
    /** memshare's binary matrix ({@code .msm}), see {@link MsmFile}. */
    MSM("msm", MsmFile.MAGIC_ASCII.getBytes(StandardCharsets.US_ASCII), ".msm"),
    /** Text with a header row and delimited cells. */
    CSV("csv", new byte[0], ".csv");

    private static final int MAGIC_BYTES = 8;

    private final String label;
    private final byte[] magic;
    private final String extension;

    MatrixFormat(String label, byte[] magic, String extension) {
        this.label = label;
        this.magic = magic;
        this.extension = extension;
    }

    /**
     * The format's name as messages and listings show it.
     *
     * @return the lower-case name used in messages and listings
     */
    public String label() {
        return label;
    }

    /**
     * Recognises a file's format from its first bytes, checked against its name.
     *
     * @param path the file
     * @return its format
     * @throws MatrixFileException for a missing or empty file, or a name that promises a format the
     *     bytes do not have (a {@code .npy} without NumPy's magic, say)
     * @throws UncheckedIOException when the file cannot be read
     */
    public static MatrixFormat detect(Path path) {
        byte[] head = head(path);
        MatrixFormat byContent = CSV;
        for (MatrixFormat format : values()) {
            if (format.magic.length > 0 && startsWith(head, format.magic)) {
                byContent = format;
                break;
            }
        }
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        for (MatrixFormat format : values()) {
            if (format != CSV && name.endsWith(format.extension) && format != byContent) {
                throw new MatrixFileException("file name says " + format.label + " but its bytes do not: path=" + path
                    + ", expected=" + describe(format.magic) + ", found=" + describe(head) + " (" + byContent.label
                    + "?)");
            }
        }
        return byContent;
    }

    private static byte[] head(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(MAGIC_BYTES);
            while (head.hasRemaining() && channel.read(head) > 0) {
                // a regular file delivers what it has; fewer bytes means a shorter file
            }
            if (head.position() == 0) {
                throw new MatrixFileException("file is empty: path=" + path);
            }
            return Arrays.copyOf(head.array(), head.position());
        } catch (NoSuchFileException e) {
            throw new MatrixFileException("no such file: path=" + path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read: path=" + path, e);
        }
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        return head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }

    private static String describe(byte[] bytes) {
        StringBuilder hex = new StringBuilder();
        for (byte b : bytes) {
            hex.append(String.format(Locale.ROOT, "%02x", b & 0xff));
        }
        return hex.isEmpty() ? "(nothing)" : hex.toString();
    }
}

package org.memshare.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.testing.ChildJvm;

/** Text input read with bounded memory: over-long lines and binary data are errors naming line and column. */
class TextInputTest {
    @TempDir
    Path dir;

    private MatrixFileException refused(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return assertThrows(MatrixFileException.class, () -> MatrixFile.open(file));
    }

    @Test
    void delimitersQuotesAndMissingValues() throws IOException {
        Path file = dir.resolve("semi.csv");
        Files.writeString(file, "\uFEFF\"a;1\";b;c\r\n1,5;\"2\";NA\n\n-Inf;3e2;\n");
        MatrixFile csv = MatrixFile.open(file, ReadOptions.defaults().withDelimiter(';'));
        assertEquals(List.of("a;1", "b", "c"), csv.columnNames());
        assertEquals(2, csv.nrow());
        MatrixFileException comma = assertThrows(MatrixFileException.class,
            () -> MatrixFile.open(file, ReadOptions.defaults().withDelimiter(';')).readColumn(0));
        assertTrue(comma.getMessage().contains("line=2, column=1 (a;1), value=\"1,5\""), comma.getMessage());
        assertArrayEquals(new double[] {2, 300}, csv.readColumn(1));
        double[] c = csv.readColumn(2);
        assertTrue(Double.isNaN(c[0]) && Double.isNaN(c[1]));
        Path tab = dir.resolve("t.tsv");
        Files.writeString(tab, "x\ty\n1\t 2\n");
        assertArrayEquals(new double[] {2}, MatrixFile.open(tab, ReadOptions.defaults().withDelimiter('\t')).readColumn(1));
        assertEquals('\t', ReadOptions.parseDelimiter("\\t"));
        assertThrows(IllegalArgumentException.class, () -> ReadOptions.parseDelimiter(";;"));
    }

    @Test
    void binaryDataIsRefusedWithLineAndColumn() throws IOException {
        assertTrue(refused("nul.csv", "a,b\n1,2\n3,\u00004\n").getMessage()
            .contains("binary data in a text file (control character 0x00): path="), "message");
        assertTrue(refused("nul2.csv", "a,b\n1,2\n3,\u00004\n").getMessage().endsWith("line=3, column=3"));
        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, "a,b\n1,\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        MatrixFileException e = assertThrows(MatrixFileException.class, () -> MatrixFile.open(latin1));
        assertTrue(e.getMessage().startsWith("not UTF-8 text (binary data?): path="), e.getMessage());
    }

    @Test
    void nulBytesAreNotAnEmptyMatrix() throws IOException {
        Path zeros = dir.resolve("zeros.csv");
        try (RandomAccessFile file = new RandomAccessFile(zeros.toFile(), "rw")) {
            file.setLength(256L << 20); // sparse: 256 MB of NUL bytes
        }
        MatrixFileException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
            () -> assertThrows(MatrixFileException.class, () -> MatrixFile.open(zeros)));
        assertTrue(e.getMessage().contains("control character 0x00") && e.getMessage().endsWith("line=1, column=1"),
            e.getMessage());
    }

    @Test
    void aLongLineIsAnErrorNotAnOutOfMemoryError() throws IOException {
        MatrixFileException e = assertThrows(MatrixFileException.class, () -> MatrixFile.open(write("long.csv",
            "a,b\n1," + "9".repeat(200) + "\n"), ReadOptions.defaults().withMaxLineLength(100)));
        assertTrue(e.getMessage().contains("line too long: path=") && e.getMessage().contains("line=2, maxLineLength=100"),
            e.getMessage());
    }

    /** A 300 MB file without a line break, read by a JVM with a 256 MB heap. */
    @Test
    void aHugeOneLineFileFailsClearlyUnderASmallHeap() throws IOException {
        Path huge = dir.resolve("oneline.csv");
        byte[] chunk = "1234567,".repeat(1 << 17).getBytes(StandardCharsets.US_ASCII); // 1 MiB
        try (OutputStream out = Files.newOutputStream(huge)) {
            for (int i = 0; i < 300; i++) {
                out.write(chunk);
            }
        }
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (ChildJvm child = ChildJvm.start(OpenMain.class, huge.toString())) {
                String line = child.readLine();
                assertTrue(line.startsWith("MatrixFileException: line too long: path=" + huge + ", line=1"), line);
                assertEquals(1, child.waitFor());
            }
        });
    }

    /** Opens a matrix file with a 256 MB heap; prints the exception's class and message, exits 1. */
    public static final class OpenMain {
        private OpenMain() {
        }

        /**
         * @param args the file
         */
        public static void main(String[] args) {
            try {
                MatrixFile file = MatrixFile.open(Path.of(args[0]));
                System.out.println("opened " + file.nrow() + " x " + file.ncol());
                System.exit(0);
            } catch (RuntimeException | OutOfMemoryError e) {
                System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
                System.exit(1);
            }
        }
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void aNameThatPromisesAnotherFormatIsRefused() throws IOException {
        assertTrue(refused("x.csv.gz", "a\n1\n").getMessage().startsWith("file name says csv.gz but its bytes do not"));
        assertTrue(refused("x.msm", "a\n1\n").getMessage().startsWith("file name says msm"));
        assertTrue(refused("empty.csv", "").getMessage().startsWith("file is empty"));
        assertEquals(MatrixFormat.CSV, MatrixFormat.detect(write("plain.txt", "a\n1\n")));
        assertEquals(Arrays.asList("a"), MatrixFile.open(dir.resolve("plain.txt")).columnNames());
    }
}

package org.memshare.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.format.ElementType;

/**
 * The CSV reader takes lines of ASCII as bytes ({@link CellReader}, {@link DecimalParser}) and other
 * lines as text ({@link CsvFile#split}, {@code Double.parseDouble}): both give the same cells, values
 * (bit for bit), classes and errors. Each file is written twice, with row names in a skipped first
 * column that are ASCII in one copy and not in the other, so one copy is read the one way and the
 * other the other way.
 */
class CsvBytePathTest {
    @TempDir
    Path dir;

    private static final String[] ODD_CELLS = {"NA", "NaN", "", " ", "Inf", "-Inf", "inf", "+Inf", "-inf", "1d", "2.5f",
        "0x1p3", "-0", "+0.0", ".5", "5.", " 2.5 ", "\t3", "\"4.5\"", "\" 4.5\"", "\"-0\"", "\"NA\"", "\"\"", "\r7",
        "7\r", "1e5", "1E-5", "-.5e+3", "123456789012345678901234", "9007199254740993", "4.9e-324", "1e-400", "1e400",
        "2.2250738585072011e-308", "Infinity", "-Infinity", "\"1\" ", "00012", "1.7976931348623159e308"};

    /** Writes the rows twice: row names "r1".. (ASCII lines) and "é1".. (lines read as text), every other one quoted. */
    private List<Path> writeBoth(String name, String header, List<String> rows, boolean gzip) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String prefix : List.of("r", "\u00e9")) {
            Path file = dir.resolve(prefix.equals("r") ? "ascii-" + name : "text-" + name);
            try (OutputStream raw = Files.newOutputStream(file);
                 OutputStream out = gzip ? new GZIPOutputStream(raw) : raw;
                 Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                writer.write(header + "\n");
                for (int i = 0; i < rows.size(); i++) {
                    String rowName = i % 2 == 0 ? prefix + (i + 1) : "\"" + prefix + (i + 1) + "\"";
                    writer.write((rows.get(i).isBlank() ? "" : rowName) + rows.get(i) + "\n");
                }
            }
            files.add(file);
        }
        return files;
    }

    @Test
    void numbersAndOddCellsAreReadAlikeBothWays() throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        int columns = 12;
        StringBuilder header = new StringBuilder("\"\"");
        for (int j = 0; j < columns; j++) {
            header.append(",c").append(j);
        }
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            if (i % 500 == 7) {
                rows.add(i % 1000 == 7 ? "" : " \t");
            }
            StringBuilder row = new StringBuilder();
            for (int j = 0; j < columns; j++) {
                row.append(',').append(cell(random));
            }
            rows.add(row.toString());
        }
        for (boolean gzip : List.of(false, true)) {
            List<Path> files = writeBoth(gzip ? "values.csv.gz" : "values.csv", header.toString(), rows, gzip);
            MatrixFile ascii = MatrixFile.open(files.get(0));
            MatrixFile text = MatrixFile.open(files.get(1));
            assertEquals(text.columnNames(), ascii.columnNames());
            assertEquals(text.nrow(), ascii.nrow());
            for (int j = 0; j < columns; j++) {
                assertArrayEquals(bits(text.readColumn(j)), bits(ascii.readColumn(j)), "column " + j);
            }
            double[] all = new double[(int) (ascii.nrow() * columns)];
            double[] allText = new double[all.length];
            ascii.copyInto(MemorySegment.ofArray(all));
            text.copyInto(MemorySegment.ofArray(allText));
            assertArrayEquals(bits(allText), bits(all));
        }
    }

    /**
     * A plain file large enough to be read in parts on several threads gives what the same text read
     * from start to end (gzip'd: one stream) gives: values, classes, and the first error in file order.
     */
    @Test
    void aLargeFileReadInPartsGivesWhatOneStreamGives() throws IOException {
        SplittableRandom random = new SplittableRandom(13);
        StringBuilder text = new StringBuilder("y,a,b,c,d,e,f\n");
        int row = 0;
        while (text.length() < CsvFile.PARTS_FROM_BYTES + (1 << 20)) {
            if (row % 9_973 == 5) {
                text.append(row % 2 == 0 ? "\n" : " \t\r\n"); // blank lines move rows against lines
            }
            text.append(random.nextInt(3));
            for (int j = 0; j < 6; j++) {
                text.append(',').append(j == 5 && row % 7_919 == 3 ? "NA" : cell(random));
            }
            // An em space (stripped like a blank) makes a line that is not ASCII: it is read as text.
            text.append(row % 5_003 == 7 ? "\u2003\n" : "\n");
            row++;
        }
        for (String bad : List.of("", "late", "early")) {
            String content = switch (bad) {
                case "late" -> text + "1,2,3,4,5,x6,7\n2,2,3,4,5,6,bad\n";
                case "early" -> text.toString().replaceFirst("\n0,", "\n0,oops");
                default -> text.toString();
            };
            Path plain = dir.resolve("parts" + bad + ".csv");
            Files.writeString(plain, content);
            Path gzip = dir.resolve("parts" + bad + ".csv.gz");
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip))) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
            }
            MatrixFile parts = MatrixFile.open(plain);
            MatrixFile stream = MatrixFile.open(gzip);
            assertEquals(stream.nrow(), parts.nrow());
            assertEquals(Math.min(8, Runtime.getRuntime().availableProcessors()), ((CsvFile) parts).partCount());
            assertEquals(1, ((CsvFile) stream).partCount());
            int[] features = {1, 2, 3, 4, 5, 6};
            double[] fromParts = new double[(int) parts.nrow() * features.length];
            double[] fromStream = new double[fromParts.length];
            if (bad.isEmpty()) {
                ClassColumn classes = parts.copyColumnsReadingClasses(MemorySegment.ofArray(fromParts), ElementType.DOUBLE,
                    features, 0);
                stream.copyColumnsInto(MemorySegment.ofArray(fromStream), ElementType.DOUBLE, features);
                assertArrayEquals(bits(fromStream), bits(fromParts));
                assertArrayEquals(bits(stream.readClasses(0).codes()), bits(classes.codes()));
            } else {
                String expected = assertThrows(MatrixFileException.class, () -> stream.copyColumnsInto(
                    MemorySegment.ofArray(fromStream), ElementType.DOUBLE, features)).getMessage().replace(gzip.toString(), "F");
                String actual = assertThrows(MatrixFileException.class, () -> parts.copyColumnsInto(
                    MemorySegment.ofArray(fromParts), ElementType.DOUBLE, features)).getMessage().replace(plain.toString(), "F");
                assertEquals(expected, actual);
            }
        }
    }

    private static String cell(SplittableRandom random) {
        return switch (random.nextInt(8)) {
            case 0 -> ODD_CELLS[random.nextInt(ODD_CELLS.length)];
            case 1 -> String.format(Locale.ROOT, "%.6f", random.nextGaussian() * 1000);
            case 2 -> String.format(Locale.ROOT, "%.17g", random.nextGaussian());
            case 3 -> Long.toString(random.nextLong(-1_000_000, 1_000_000));
            case 4 -> Double.toString(Double.longBitsToDouble(random.nextLong()) / 1e300);
            default -> Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(-12, 12)));
        };
    }

    private static long[] bits(double[] values) {
        long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Double.doubleToRawLongBits(values[i]);
        }
        return bits;
    }

    @Test
    void classesAndQuotedCellsAreReadAlikeBothWays() throws IOException {
        List<String> rows = List.of(",yes,\"a,b\",1", ",no,\"say \"\"hi\"\"\", 2", ",yes ,\"a,b\"  ,NA", ",\"no\",x,3",
            ",maybe,\"\",1", ",, y ,");
        List<Path> files = writeBoth("classes.csv", ",label,quoted,number", rows, false);
        MatrixFile ascii = MatrixFile.open(files.get(0));
        MatrixFile text = MatrixFile.open(files.get(1));
        for (int j = 0; j < 3; j++) {
            ClassColumn expected = text.readClasses(j);
            ClassColumn actual = ascii.readClasses(j);
            assertEquals(expected.labels(), actual.labels(), "column " + j);
            assertArrayEquals(bits(expected.codes()), bits(actual.codes()), "column " + j);
        }
        assertEquals(List.of("a,b", "say \"hi\"", "x", "y"), ascii.readClasses(1).labels().stream().filter(s -> !s.isEmpty()).toList());
        // Features and classes in one pass: what the two calls give apart.
        for (MatrixFile file : List.of(ascii, text)) {
            double[] numbers = new double[(int) file.nrow()];
            ClassColumn labels = file.copyColumnsReadingClasses(MemorySegment.ofArray(numbers), ElementType.DOUBLE,
                new int[] {2}, 0);
            assertArrayEquals(bits(file.readColumn(2)), bits(numbers));
            assertEquals(file.readClasses(0).labels(), labels.labels());
            assertArrayEquals(bits(file.readClasses(0).codes()), bits(labels.codes()));
        }
    }

    @Test
    void errorsNameTheSameLineAndColumnBothWays() throws IOException {
        List<List<String>> bad = List.of(
            List.of(",1,2", ",3,abc"),
            List.of(",1,2", ",3,\"4"),
            List.of(",1,2", ",3"),
            List.of(",1,2", ",3,4,5"),
            List.of(",1,2", ",1e5x,2"),
            List.of(",1,2,", ",3,4"));
        for (int k = 0; k < bad.size(); k++) {
            List<Path> files = writeBoth("bad" + k + ".csv", ",a,b", bad.get(k), false);
            String expected = failure(files.get(1)).replace(files.get(1).toString(), "FILE");
            String actual = failure(files.get(0)).replace(files.get(0).toString(), "FILE");
            assertEquals(expected, actual, "case " + k);
        }
    }

    private static String failure(Path file) {
        return assertThrows(MatrixFileException.class, () -> {
            MatrixFile csv = MatrixFile.open(file);
            for (int j = 0; j < csv.ncol(); j++) {
                csv.readColumn(j);
            }
        }).getMessage();
    }
}

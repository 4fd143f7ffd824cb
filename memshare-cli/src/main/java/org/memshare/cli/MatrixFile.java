package org.memshare.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A numeric matrix in a file, read straight into a memory segment (shared memory), never whole into
 * the heap: CSV with a header row, or the raw binary format below.
 *
 * <p>CSV: the first line names the columns (distinct names; a byte-order mark is skipped); every
 * further non-blank line is one row of numbers separated by commas; a cell may be quoted
 * ({@code "1,5"} is one cell, {@code ""} inside quotes is a quote); {@code NA}, {@code NaN} and empty
 * cells are missing values (NaN). A cell that is not a number is an error naming its line and column.
 *
 * <p>Binary ({@code .msm}), little-endian:
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 Magic "MSMATRIX" (8 ASCII bytes)              |  0
 *  +-------------------------------+-------------------------------+
 *  |        Version (i32) = 1      |       Reserved (i32) = 0      |  8
 *  +-------------------------------+-------------------------------+
 *  |  Rows (i64)                                                   |  16
 *  |  Columns (i64)                                                |  24
 *  |  Names Bytes (i64): length of the names block                 |  32
 *  +---------------------------------------------------------------+
 *  |  Names: column names in UTF-8, each followed by '\n'          |  40
 *  +---------------------------------------------------------------+
 *  |  zero padding to the next multiple of 8                       |
 *  +---------------------------------------------------------------+
 *  |  Data: Rows x Columns IEEE 754 doubles, column-major          |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * @param path the file
 * @param binary whether it is in the binary format
 * @param nrow data rows
 * @param ncol columns
 * @param columnNames the column names
 * @param dataOffset where the data starts (binary only)
 * @param skippedColumns leading CSV columns that are not data: 1 for an unnamed row-name column
 *     (as R's {@code write.csv} writes), else 0
 */
record MatrixFile(Path path, boolean binary, long nrow, long ncol, List<String> columnNames, long dataOffset,
                  int skippedColumns) {

    static final long BINARY_MAGIC = 0x5849525441_4D534DL; // "MSMATRIX" little-endian
    static final int BINARY_VERSION = 1;
    static final int BINARY_HEADER_BYTES = 40;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    MatrixFile {
        columnNames = List.copyOf(columnNames);
    }

    /**
     * Reads the shape and column names (one pass over a CSV, the header of a binary file).
     *
     * @throws IllegalArgumentException for a missing, empty or malformed file, naming it
     */
    static MatrixFile probe(Path path) {
        try {
            if (Files.size(path) == 0) {
                throw new IllegalArgumentException("file is empty: path=" + path);
            }
            return isBinary(path) ? probeBinary(path) : probeCsv(path);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: path=" + path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read: path=" + path, e);
        }
    }

    /** @return the index of a column by name */
    int columnIndex(String name) {
        int index = columnNames.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no such column: column=" + name + ", path=" + path
                + ", columns=" + (columnNames.size() <= 20 ? columnNames : columnNames.subList(0, 20) + "..."));
        }
        return index;
    }

    /** @return the bytes of the matrix as doubles */
    long dataBytes() {
        return Math.multiplyExact(Math.multiplyExact(nrow, ncol), 8L);
    }

    /** Copies the matrix, column-major doubles, into {@code target} ({@link #dataBytes()} long). */
    void copyInto(MemorySegment target) {
        int[] all = new int[Math.toIntExact(ncol)];
        for (int j = 0; j < all.length; j++) {
            all[j] = j;
        }
        copyColumnsInto(target, all);
    }

    /**
     * Copies the chosen columns, in the order given, column-major into {@code target}
     * ({@code nrow * columns.length} doubles), streaming: the file never passes whole through the heap.
     */
    void copyColumnsInto(MemorySegment target, int[] columns) {
        for (int column : columns) {
            Objects.checkIndex(column, ncol);
        }
        try {
            if (binary) {
                try (Arena arena = Arena.ofConfined();
                     FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                    MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
                    for (int k = 0; k < columns.length; k++) {
                        MemorySegment.copy(file, F64, dataOffset + columns[k] * nrow * 8, target, ValueLayout.JAVA_DOUBLE,
                            k * nrow * 8, nrow);
                    }
                }
            } else {
                copyCsv(target, columns);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read: path=" + path, e);
        }
    }

    /** @return one column as an array (for a target column) */
    double[] readColumn(int column) {
        double[] values = new double[Math.toIntExact(nrow)];
        copyColumnsInto(MemorySegment.ofArray(values), new int[] {column});
        return values;
    }

    private static boolean isBinary(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(head, 0);
            return head.position() == 8 && head.getLong(0) == BINARY_MAGIC;
        }
    }

    private static MatrixFile probeBinary(Path path) throws IOException {
        try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < BINARY_HEADER_BYTES) {
                throw new IllegalArgumentException("binary matrix file truncated: path=" + path + ", bytes=" + size);
            }
            MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            int version = file.get(I32, 8);
            if (version != BINARY_VERSION) {
                throw new IllegalArgumentException("unsupported binary matrix version: path=" + path + ", version=" + version);
            }
            long nrow = file.get(I64, 16);
            long ncol = file.get(I64, 24);
            long namesBytes = file.get(I64, 32);
            if (nrow < 0 || ncol < 0 || namesBytes < 0 || namesBytes > size - BINARY_HEADER_BYTES) {
                throw new IllegalArgumentException("binary matrix header is inconsistent: path=" + path + ", rows=" + nrow
                    + ", columns=" + ncol + ", namesBytes=" + namesBytes);
            }
            long dataOffset = (BINARY_HEADER_BYTES + namesBytes + 7) & -8L;
            long dataBytes;
            try {
                dataBytes = Math.multiplyExact(Math.multiplyExact(nrow, ncol), 8L);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("binary matrix dimensions overflow: path=" + path);
            }
            if (dataOffset + dataBytes != size) {
                throw new IllegalArgumentException("binary matrix size does not match its header: path=" + path
                    + ", bytes=" + size + ", expected=" + (dataOffset + dataBytes));
            }
            byte[] names = file.asSlice(BINARY_HEADER_BYTES, namesBytes).toArray(ValueLayout.JAVA_BYTE);
            List<String> columnNames = new ArrayList<>(Arrays.asList(new String(names, StandardCharsets.UTF_8).split("\n", -1)));
            if (!columnNames.isEmpty() && columnNames.getLast().isEmpty()) {
                columnNames.removeLast();
            }
            if (namesBytes == 0) {
                columnNames = new ArrayList<>();
                for (long j = 0; j < ncol; j++) {
                    columnNames.add("V" + (j + 1));
                }
            } else if (columnNames.size() != ncol) {
                throw new IllegalArgumentException("binary matrix names do not match its columns: path=" + path
                    + ", names=" + columnNames.size() + ", columns=" + ncol);
            }
            return new MatrixFile(path, true, nrow, ncol, columnNames, dataOffset, 0);
        }
    }

    /** Writes a matrix in the binary format (for tests and for converting CSV once). */
    static void writeBinary(Path path, long nrow, long ncol, List<String> columnNames, double[] columnMajor) throws IOException {
        byte[] names = (String.join("\n", columnNames) + (columnNames.isEmpty() ? "" : "\n")).getBytes(StandardCharsets.UTF_8);
        long dataOffset = (BINARY_HEADER_BYTES + names.length + 7) & -8L;
        long total = dataOffset + nrow * ncol * 8;
        try (Arena arena = Arena.ofConfined();
             FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                 StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment file = channel.map(FileChannel.MapMode.READ_WRITE, 0, total, arena);
            file.set(I64, 0, BINARY_MAGIC);
            file.set(I32, 8, BINARY_VERSION);
            file.set(I64, 16, nrow);
            file.set(I64, 24, ncol);
            file.set(I64, 32, names.length);
            MemorySegment.copy(MemorySegment.ofArray(names), 0, file, BINARY_HEADER_BYTES, names.length);
            for (int k = 0; k < columnMajor.length; k++) {
                file.set(F64, dataOffset + k * 8L, columnMajor[k]);
            }
        }
    }

    /** The value of one cell, for {@link #writeCsv}. */
    @FunctionalInterface
    interface Cells {
        double get(long row, int column);
    }

    /**
     * Writes a CSV file that {@link #probe} reads back: a header row of names (quoted when they hold a
     * comma, a quote or spaces), then one line per row; whole numbers without a fraction, other values
     * in full precision, missing values (NaN) as {@code NA}.
     */
    static void writeCsv(Path path, List<String> columnNames, long nrow, Cells cells) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            for (String name : columnNames) {
                line.append(line.isEmpty() ? "" : ",").append(csvName(name));
            }
            out.write(line.append('\n').toString());
            for (long i = 0; i < nrow; i++) {
                line.setLength(0);
                for (int j = 0; j < columnNames.size(); j++) {
                    line.append(j == 0 ? "" : ",").append(csvValue(cells.get(i, j)));
                }
                out.write(line.append('\n').toString());
            }
        }
    }

    private static String csvName(String name) {
        boolean plain = !name.isEmpty() && name.chars().noneMatch(c -> c == ',' || c == '"' || Character.isWhitespace(c));
        return plain ? name : '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String csvValue(double value) {
        if (Double.isNaN(value)) {
            return "NA";
        }
        // Double.toString is locale-independent and round-trips exactly.
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private static MatrixFile probeCsv(Path path) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header != null && header.startsWith("\uFEFF")) {
                header = header.substring(1); // a byte-order mark written by spreadsheet programs
            }
            if (header == null || header.isBlank()) {
                throw new IllegalArgumentException("CSV file has no header row: path=" + path);
            }
            List<String> names = new ArrayList<>();
            splitCsvLine(header, 1, path, names);
            int cellsPerRow = names.size();
            // An unnamed first column holds row names, as R's write.csv writes them: not data.
            int skipped = names.size() > 1 && names.getFirst().isEmpty() ? 1 : 0;
            names = new ArrayList<>(names.subList(skipped, names.size()));
            Set<String> seen = new HashSet<>();
            for (int j = 0; j < names.size(); j++) {
                String name = names.get(j);
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("CSV header has an empty column name: path=" + path
                        + ", column=" + (j + 1 + skipped));
                }
                if (!seen.add(name)) {
                    throw new IllegalArgumentException("CSV header names a column twice: path=" + path + ", column=" + name);
                }
            }
            long rows = 0;
            String line;
            long lineNumber = 1;
            List<String> cells = new ArrayList<>(names.size());
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                splitCsvLine(line, lineNumber, path, cells);
                if (cells.size() != cellsPerRow) {
                    throw new IllegalArgumentException("CSV row has the wrong number of cells: path=" + path
                        + ", line=" + lineNumber + ", cells=" + cells.size() + ", columns=" + cellsPerRow);
                }
                rows++;
            }
            return new MatrixFile(path, false, rows, names.size(), names, 0, skipped);
        }
    }

    /**
     * Splits one CSV line into its cells (RFC 4180 within a line): a cell in double quotes may hold
     * commas and doubled quotes; unquoted cells are trimmed.
     *
     * @throws IllegalArgumentException for a quote that is not closed on its line
     */
    static void splitCsvLine(String line, long lineNumber, Path path, List<String> cells) {
        cells.clear();
        StringBuilder cell = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            cell.setLength(0);
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            if (i < n && line.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            cell.append('"');
                            i++;
                        } else {
                            closed = true;
                            break;
                        }
                    } else {
                        cell.append(c);
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("CSV quote not closed on its line: path=" + path + ", line=" + lineNumber);
                }
                while (i < n && line.charAt(i) != ',') {
                    i++; // whatever follows the closing quote up to the comma (spaces) is not part of the cell
                }
                cells.add(cell.toString());
            } else {
                int end = line.indexOf(',', i);
                if (end < 0) {
                    end = n;
                }
                cells.add(line.substring(i, end).strip());
                i = end;
            }
            if (i >= n) {
                return;
            }
            i++; // the comma
            if (i == n) {
                cells.add(""); // a trailing comma ends with an empty cell
                return;
            }
        }
    }

    private void copyCsv(MemorySegment target, int[] columns) throws IOException {
        scanCsv(columns, (row, slot, text, line, column) ->
            target.setAtIndex(ValueLayout.JAVA_DOUBLE, row + slot * nrow, parseCell(text, line, column)));
    }

    /** Receives one cell of a chosen column: its row, its place among the chosen columns, its text. */
    private interface CellSink {
        void accept(long row, int slot, String text, long line, int column);
    }

    /** Reads the data rows once, handing the cells of the chosen columns to the sink. */
    private void scanCsv(int[] columns, CellSink sink) throws IOException {
        int[] slotOfColumn = new int[Math.toIntExact(ncol)];
        Arrays.fill(slotOfColumn, -1);
        for (int k = 0; k < columns.length; k++) {
            slotOfColumn[columns[k]] = k;
        }
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            reader.readLine();
            String line;
            long lineNumber = 1;
            long row = 0;
            List<String> cells = new ArrayList<>(Math.toIntExact(ncol));
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                splitCsvLine(line, lineNumber, path, cells);
                if (cells.size() != ncol + skippedColumns) {
                    throw new IllegalStateException("file changed while loading: path=" + path + ", line=" + lineNumber);
                }
                for (int j = 0; j < ncol; j++) {
                    if (slotOfColumn[j] >= 0) {
                        sink.accept(row, slotOfColumn[j], cells.get(j + skippedColumns), lineNumber, j);
                    }
                }
                row++;
            }
            if (row != nrow) {
                throw new IllegalStateException("file changed while loading: path=" + path + ", rows=" + row + ", expected=" + nrow);
            }
        }
    }

    /**
     * A discrete column as class codes: numbers as they are; text labels (as in {@code yes}/{@code no})
     * as 0, 1, … in the sorted order of the distinct labels. Missing cells are NaN.
     *
     * @return the codes, and the labels in code order (empty when the column is numeric)
     */
    ClassColumn readClasses(int column) {
        if (binary) {
            return new ClassColumn(readColumn(column), List.of());
        }
        String[] texts = new String[Math.toIntExact(nrow)];
        try {
            scanCsv(new int[] {column}, (row, slot, text, line, j) -> texts[(int) row] = text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read: path=" + path, e);
        }
        TreeSet<String> labels = new TreeSet<>();
        boolean numeric = true;
        for (String text : texts) {
            if (isMissing(text)) {
                continue;
            }
            labels.add(text);
            try {
                Double.parseDouble(text);
            } catch (NumberFormatException e) {
                numeric = false;
            }
        }
        double[] codes = new double[texts.length];
        List<String> order = numeric ? List.of() : List.copyOf(labels);
        for (int i = 0; i < texts.length; i++) {
            codes[i] = isMissing(texts[i]) ? Double.NaN
                : numeric ? Double.parseDouble(texts[i]) : Collections.binarySearch(order, texts[i]);
        }
        return new ClassColumn(codes, order);
    }

    /**
     * @param codes one class code per row, NaN where missing
     * @param labels the text label of each code, when the column held text
     */
    record ClassColumn(double[] codes, List<String> labels) {
    }

    private static boolean isMissing(String text) {
        return text.isEmpty() || text.equals("NA") || text.equals("NaN");
    }

    private double parseCell(String text, long line, int column) {
        if (isMissing(text)) {
            return Double.NaN;
        }
        switch (text) {
            case "Inf", "+Inf", "inf" -> {
                return Double.POSITIVE_INFINITY; // R's spelling
            }
            case "-Inf", "-inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                // a number, or an error below
            }
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("CSV cell is not a number: path=" + path + ", line=" + line
                + ", column=" + (column + 1 + skippedColumns) + " (" + columnNames.get(column) + "), value=\"" + text + "\"");
        }
    }
}

package org.memshare.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.memshare.format.ElementType;

/**
 * The CSV codec, plain or gzip'd: the first line names the columns (distinct names); every further
 * non-blank line is one row of numbers separated by the delimiter; a cell may be quoted
 * ({@code "1,5"} is one cell, {@code ""} inside quotes is a quote); {@code NA}, {@code NaN} and empty
 * cells are missing values (NaN), {@code Inf}/{@code -Inf} infinite as R writes them. An unnamed
 * first column holds row names (R's {@code write.csv}) and is skipped. A cell that is not a number is
 * an error naming its line and column. Lines are read with bounded memory ({@link TextLines}); the
 * file is read once to count rows, once per copy. A line of ASCII (nearly every line of numbers) is
 * split and converted from its bytes ({@link CellReader}, {@link DecimalParser}), with no
 * {@code String} per cell; other lines go through {@link #split} and {@code Double.parseDouble}. Both
 * give the same cells and the same doubles.
 */
final class CsvFile implements MatrixFile {
    private final Path path;
    private final MatrixFormat format;
    private final ReadOptions options;
    private final long nrow;
    private final List<String> names;
    private final int skippedColumns;
    /** Where a plain file's parts start, for reading them side by side; fewer than two: read it whole. */
    private final List<PartStart> parts;

    /** Plain files from this size on are read in parts, one per core (at most eight). */
    static final long PARTS_FROM_BYTES = 4L << 20;

    /**
     * A part of a plain file: the lines from a line start up to the next part's.
     *
     * @param offset the file offset where its first line starts
     * @param linesBefore the lines of the file before it (header and blank lines included)
     * @param rowsBefore the data rows before it
     */
    private record PartStart(long offset, long linesBefore, long rowsBefore) {
    }

    private CsvFile(Path path, MatrixFormat format, ReadOptions options, long nrow, List<String> names, int skippedColumns,
                    List<PartStart> parts) {
        this.path = path;
        this.format = format;
        this.options = options;
        this.nrow = nrow;
        this.names = List.copyOf(names);
        this.skippedColumns = skippedColumns;
        this.parts = List.copyOf(parts);
    }

    static CsvFile open(Path path, MatrixFormat format, ReadOptions options) {
        try (TextLines lines = TextLines.open(path, format == MatrixFormat.CSV_GZIP, options.maxLineLength())) {
            String header = lines.next();
            if (header == null || header.isBlank()) {
                throw new MatrixFileException("CSV file has no header row: path=" + path);
            }
            List<String> names = new ArrayList<>();
            split(header, 1, path, options.delimiter(), names);
            int cellsPerRow = names.size();
            int skipped = names.size() > 1 && names.getFirst().isEmpty() ? 1 : 0;
            names = new ArrayList<>(names.subList(skipped, names.size()));
            Set<String> seen = new HashSet<>();
            for (int j = 0; j < names.size(); j++) {
                String name = names.get(j);
                if (name.isEmpty()) {
                    throw new MatrixFileException("CSV header has an empty column name: path=" + path
                        + ", column=" + (j + 1 + skipped));
                }
                if (!seen.add(name)) {
                    throw new MatrixFileException("CSV header names a column twice: path=" + path + ", column=" + name);
                }
            }
            long rows = 0;
            List<String> cells = new ArrayList<>(cellsPerRow);
            CellReader reader = new CellReader(path, options.delimiter());
            // Part k of a plain file starts at the first line at or after k / cores of its size.
            long size = format == MatrixFormat.CSV ? fileSize(path) : 0;
            int partCount = size >= PARTS_FROM_BYTES ? Math.min(8, Runtime.getRuntime().availableProcessors()) : 1;
            List<PartStart> parts = new ArrayList<>();
            while (lines.advance()) {
                if (parts.size() < partCount && lines.offset() >= parts.size() * (size / partCount)) {
                    parts.add(new PartStart(lines.offset(), lines.lineNumber() - 1, rows));
                }
                if (CellReader.blank(lines)) {
                    continue;
                }
                int count = reader.takes(lines) ? reader.count(lines)
                    : countCells(lines.text(), lines.lineNumber(), path, options.delimiter(), cells);
                if (count != cellsPerRow) {
                    throw new MatrixFileException("CSV row has the wrong number of cells: path=" + path
                        + ", line=" + lines.lineNumber() + ", cells=" + count + ", columns=" + cellsPerRow
                        + (cellsPerRow == 1 && count == 1 ? "" : ", delimiter="
                            + ReadOptions.printable(options.delimiter())));
                }
                rows++;
            }
            return new CsvFile(path, format, options, rows, names, skipped, parts);
        }
    }

    private static long fileSize(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read: path=" + path, e);
        }
    }

    /** Counts a line's cells: delimiters plus one when it has no quotes, else by splitting it. */
    private static int countCells(String line, long lineNumber, Path path, char delimiter, List<String> cells) {
        if (line.indexOf('"') >= 0) {
            split(line, lineNumber, path, delimiter, cells);
            return cells.size();
        }
        int count = 1;
        for (int i = line.indexOf(delimiter); i >= 0; i = line.indexOf(delimiter, i + 1)) {
            count++;
        }
        return count;
    }

    /**
     * Splits one line into its cells (RFC 4180 within a line): a cell in double quotes may hold the
     * delimiter and doubled quotes; unquoted cells are trimmed.
     *
     * @throws MatrixFileException for a quote that is not closed on its line
     */
    static void split(String line, long lineNumber, Path path, char delimiter, List<String> cells) {
        cells.clear();
        StringBuilder cell = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            cell.setLength(0);
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t') && line.charAt(i) != delimiter) {
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
                    throw new MatrixFileException("CSV quote not closed on its line: path=" + path + ", line=" + lineNumber
                        + ", column=" + (cells.size() + 1));
                }
                while (i < n && line.charAt(i) != delimiter) {
                    i++; // whatever follows the closing quote up to the delimiter (spaces) is not part of the cell
                }
                cells.add(cell.toString());
            } else {
                int end = line.indexOf(delimiter, i);
                if (end < 0) {
                    end = n;
                }
                cells.add(line.substring(i, end).strip());
                i = end;
            }
            if (i >= n) {
                return;
            }
            i++; // the delimiter
            if (i == n) {
                cells.add(""); // a trailing delimiter ends with an empty cell
                return;
            }
        }
    }

    /** @return how many parts a read takes side by side (1: from start to end) */
    int partCount() {
        return Math.max(1, parts.size());
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public MatrixFormat format() {
        return format;
    }

    @Override
    public long nrow() {
        return nrow;
    }

    @Override
    public long ncol() {
        return names.size();
    }

    @Override
    public ElementType elementType() {
        return ElementType.DOUBLE;
    }

    @Override
    public boolean hasColumnNames() {
        return true;
    }

    @Override
    public List<String> columnNames() {
        return names;
    }

    @Override
    public void copyColumnsInto(MemorySegment target, ElementType type, int[] columns) {
        if (type == ElementType.DOUBLE) {
            scan(columns, doublesInto(target));
            return;
        }
        // Other types through one column of doubles at a time: text has no narrower natural type.
        double[] values = new double[Math.toIntExact(nrow)];
        for (int k = 0; k < columns.length; k++) {
            scan(new int[] {columns[k]}, numbers((row, slot, value) -> values[(int) row] = value));
            StoredType.F64.convert(MemorySegment.ofArray(values), 0, Double.BYTES, target, k * nrow, type, nrow);
        }
    }

    @Override
    public ClassColumn readClasses(int column) {
        String[] texts = new String[Math.toIntExact(nrow)];
        scan(new int[] {column}, (row, slot, text, line, j) -> texts[(int) row] = text);
        return classes(texts, column);
    }

    @Override
    public ClassColumn copyColumnsReadingClasses(MemorySegment target, ElementType type, int[] columns, int classColumn) {
        if (type != ElementType.DOUBLE || Arrays.stream(columns).anyMatch(j -> j == classColumn)) {
            // Rare enough for two passes: a class column that is a feature too, or values of another type.
            return MatrixFile.super.copyColumnsReadingClasses(target, type, columns, classColumn);
        }
        // The class column is scanned as one more slot after the columns'.
        int[] chosen = Arrays.copyOf(columns, columns.length + 1);
        chosen[columns.length] = Objects.checkIndex(classColumn, names.size());
        String[] texts = new String[Math.toIntExact(nrow)];
        CellSink numbers = doublesInto(target);
        scan(chosen, new CellSink() {
            @Override
            public void accept(long row, int slot, String text, long line, int column) {
                if (slot == columns.length) {
                    texts[(int) row] = text;
                } else {
                    numbers.accept(row, slot, text, line, column);
                }
            }

            @Override
            public void accept(long row, int slot, byte[] bytes, int from, int to, long line, int column) {
                if (slot == columns.length) {
                    texts[(int) row] = new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
                } else {
                    numbers.accept(row, slot, bytes, from, to, line, column);
                }
            }
        });
        return classes(texts, classColumn);
    }

    /** The cells as doubles in {@code target}, column-major: slot k's values are its k-th column. */
    private CellSink doublesInto(MemorySegment target) {
        return numbers((row, slot, value) ->
            target.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, row + slot * nrow, value));
    }

    /** Numbers as they are, else text labels as their place among the sorted distinct labels. */
    private ClassColumn classes(String[] texts, int column) {
        TreeSet<String> labels = new TreeSet<>();
        boolean numeric = true;
        for (String text : texts) {
            if (isMissing(text)) {
                continue;
            }
            labels.add(text);
            numeric &= isNumber(text);
        }
        double[] codes = new double[texts.length];
        List<String> order = numeric ? List.of() : List.copyOf(labels);
        for (int i = 0; i < texts.length; i++) {
            codes[i] = isMissing(texts[i]) ? Double.NaN
                : numeric ? parseCell(texts[i], 0, column) : Collections.binarySearch(order, texts[i]);
        }
        return new ClassColumn(codes, order);
    }

    /** Receives one cell of a chosen column: its row, its place among the chosen columns, its text. */
    private interface CellSink {
        void accept(long row, int slot, String text, long line, int column);

        /** An unquoted cell of an ASCII line, as bytes {@code [from, to)}; by default made text. */
        default void accept(long row, int slot, byte[] bytes, int from, int to, long line, int column) {
            accept(row, slot, new String(bytes, from, to - from, StandardCharsets.ISO_8859_1), line, column);
        }
    }

    /** Receives one number of a chosen column. */
    @FunctionalInterface
    private interface NumberSink {
        void accept(long row, int slot, double value);
    }

    /**
     * The cells as numbers ({@link #parseCell}): those given as bytes without a {@code String} where
     * {@link DecimalParser} takes them, which gives the same doubles.
     */
    private CellSink numbers(NumberSink numbers) {
        return new CellSink() {
            @Override
            public void accept(long row, int slot, String text, long line, int column) {
                numbers.accept(row, slot, parseCell(text, line, column));
            }

            @Override
            public void accept(long row, int slot, byte[] bytes, int from, int to, long line, int column) {
                long bits = DecimalParser.parse(bytes, from, to);
                numbers.accept(row, slot, bits != DecimalParser.FALLBACK ? Double.longBitsToDouble(bits)
                    : parseCell(new String(bytes, from, to - from, StandardCharsets.ISO_8859_1), line, column));
            }
        };
    }

    /**
     * Reads the data rows once, handing the cells of the chosen columns to the sink: the parts of a
     * plain file found when it was opened ({@link PartStart}) on a thread each, the first on the caller's;
     * otherwise from start to end. The first error in file order is thrown, as a serial read would.
     */
    private void scan(int[] columns, CellSink sink) {
        int[] slotOfColumn = new int[names.size()];
        Arrays.fill(slotOfColumn, -1);
        boolean[] wanted = new boolean[names.size() + skippedColumns];
        for (int k = 0; k < columns.length; k++) {
            slotOfColumn[Objects.checkIndex(columns[k], names.size())] = k;
            wanted[columns[k] + skippedColumns] = true;
        }
        if (parts.size() < 2) {
            try (TextLines lines = TextLines.open(path, format == MatrixFormat.CSV_GZIP, options.maxLineLength())) {
                lines.advance();
                scanPart(lines, 0, nrow, slotOfColumn, wanted, sink);
            }
            return;
        }
        // An Error too: a part thread's would otherwise end only that thread, leaving its rows unfilled.
        Throwable[] failures = new Throwable[parts.size()];
        List<Thread> threads = new ArrayList<>();
        for (int k = parts.size() - 1; k >= 0; k--) {
            int index = k;
            Runnable part = () -> {
                PartStart first = parts.get(index);
                boolean last = index == parts.size() - 1;
                try (TextLines lines = TextLines.openPart(path, options.maxLineLength(), first.offset(), first.linesBefore(),
                    last ? Long.MAX_VALUE : parts.get(index + 1).offset())) {
                    scanPart(lines, first.rowsBefore(), last ? nrow : parts.get(index + 1).rowsBefore(), slotOfColumn, wanted,
                        sink);
                } catch (RuntimeException | Error e) {
                    failures[index] = e;
                }
            };
            if (k == 0) {
                part.run();
            } else {
                threads.add(Thread.ofPlatform().name("memshare-csv-part-" + k).start(part));
            }
        }
        // The parts write into the caller's segment: every one has ended before this returns or throws.
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (Throwable failure : failures) {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        }
    }

    /** Reads rows {@code [row, rowEnd)} from the lines, which start at the first of them. */
    private void scanPart(TextLines lines, long rowFrom, long rowEnd, int[] slotOfColumn, boolean[] wanted, CellSink sink) {
        CellReader reader = new CellReader(path, options.delimiter());
        long row = rowFrom;
        List<String> cells = new ArrayList<>(names.size() + skippedColumns);
        while (lines.advance()) {
            if (CellReader.blank(lines)) {
                continue;
            }
            long line = lines.lineNumber();
            int count;
            if (reader.takes(lines)) {
                if (row >= rowEnd) {
                    throw changed(line);
                }
                long r = row;
                count = reader.read(lines, wanted, (cell, bytes, from, to, quoted) -> {
                    int column = cell - skippedColumns;
                    if (quoted != null) {
                        sink.accept(r, slotOfColumn[column], quoted, line, column);
                    } else {
                        sink.accept(r, slotOfColumn[column], bytes, from, to, line, column);
                    }
                });
            } else {
                split(lines.text(), line, path, options.delimiter(), cells);
                count = cells.size();
                if (count == names.size() + skippedColumns && row < rowEnd) {
                    for (int j = 0; j < names.size(); j++) {
                        if (slotOfColumn[j] >= 0) {
                            sink.accept(row, slotOfColumn[j], cells.get(j + skippedColumns), line, j);
                        }
                    }
                }
            }
            if (count != names.size() + skippedColumns || row >= rowEnd) {
                throw changed(line);
            }
            row++;
        }
        if (row != rowEnd) {
            throw new MatrixFileException("file changed while loading: path=" + path + ", rows=" + row + ", expected=" + rowEnd);
        }
    }

    private MatrixFileException changed(long line) {
        return new MatrixFileException("file changed while loading: path=" + path + ", line=" + line);
    }

    /** The common case first: a digit, a point, or a sign before one (not R's -Inf). */
    private static boolean looksNumeric(String text) {
        if (text.isEmpty()) {
            return false;
        }
        char c = text.charAt(0);
        if (c == '-' || c == '+') {
            c = text.length() > 1 ? text.charAt(1) : 'x';
        }
        return c >= '0' && c <= '9' || c == '.';
    }

    private static boolean isMissing(String text) {
        return text.isEmpty() || text.equals("NA") || text.equals("NaN");
    }

    private static boolean isNumber(String text) {
        if (isInfinity(text) != 0) {
            return true;
        }
        try {
            Double.parseDouble(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** @return +1 or -1 for R's spellings of infinity, else 0 */
    private static int isInfinity(String text) {
        return switch (text) {
            case "Inf", "+Inf", "inf" -> 1;
            case "-Inf", "-inf" -> -1;
            default -> 0;
        };
    }

    private double parseCell(String text, long line, int column) {
        if (looksNumeric(text)) {
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                // not a number after all: the checks below name it
            }
        }
        if (isMissing(text)) {
            return Double.NaN;
        }
        int infinity = isInfinity(text);
        if (infinity != 0) {
            return infinity * Double.POSITIVE_INFINITY;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new MatrixFileException("CSV cell is not a number: path=" + path + ", line=" + line
                + ", column=" + (column + 1 + skippedColumns) + " (" + names.get(column) + "), value=\""
                + (text.length() <= 80 ? text : text.substring(0, 80) + "...") + "\"");
        }
    }
}

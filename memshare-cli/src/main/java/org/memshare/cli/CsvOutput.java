package org.memshare.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CSV written by the command line, as its readers read it back: a header row of names (quoted when
 * they hold a comma, a quote or white space, as RFC 4180 does), then one line per row; whole numbers
 * without a fraction, other values in full precision, missing values (NaN) as {@code NA}. The
 * benchmarks write their CSV inputs with it too.
 *
 * {@snippet :
 * CsvOutput.writeMatrix(Path.of("x.csv"), List.of("a", "b"), 2, (row, column) -> row * 10 + column);
 * }
 */
public final class CsvOutput {
    private CsvOutput() {
    }

    /** The value of one cell of a matrix. */
    @FunctionalInterface
    public interface Cells {
        /**
         * Returns one cell's value.
         *
         * @param row the row, from 0
         * @param column the column, from 0, in the order of the column names
         * @return the value (NaN for a missing one)
         */
        double get(long row, int column);
    }

    /**
     * Writes a matrix with its column names.
     *
     * @param path the file, created or replaced
     * @param columnNames one name per column
     * @param nrow the rows
     * @param cells the values
     * @throws IOException when the file cannot be written
     */
    public static void writeMatrix(Path path, List<String> columnNames, long nrow, Cells cells) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            for (String name : columnNames) {
                line.append(line.isEmpty() ? "" : ",").append(name(name));
            }
            out.write(line.append('\n').toString());
            for (long i = 0; i < nrow; i++) {
                line.setLength(0);
                for (int j = 0; j < columnNames.size(); j++) {
                    line.append(j == 0 ? "" : ",").append(value(cells.get(i, j)));
                }
                out.write(line.append('\n').toString());
            }
        }
    }

    /** @return a name as a CSV cell: as it is, or quoted when it holds a comma, a quote or white space */
    static String name(String name) {
        boolean plain = !name.isEmpty() && name.chars().noneMatch(c -> c == ',' || c == '"' || Character.isWhitespace(c));
        return plain ? name : '"' + name.replace("\"", "\"\"") + '"';
    }

    /** @return a value as a CSV cell: {@code NA} for NaN; exact (Double.toString is locale-independent) */
    static String value(double value) {
        if (Double.isNaN(value)) {
            return "NA";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}

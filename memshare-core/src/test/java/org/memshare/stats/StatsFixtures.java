package org.memshare.stats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the R reference CSVs from the test class path (src/test/resources/mi). */
final class StatsFixtures {

    private StatsFixtures() {
    }

    /** Rows of a CSV without its header, split on commas. */
    static List<String[]> rows(String resource) {
        try (InputStream in = StatsFixtures.class.getResourceAsStream("/mi/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource: resource=/mi/" + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String[]> rows = new ArrayList<>();
            reader.readLine();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    rows.add(line.trim().split(",", -1));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Column {@code index} of a data file as doubles; NA and NaN become NaN. */
    static double[] column(String resource, int index) {
        List<String[]> rows = rows(resource);
        double[] values = new double[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = parse(rows.get(i)[index]);
        }
        return values;
    }

    static double parse(String cell) {
        String text = cell.trim().replace("\"", "");
        if (text.equals("NA") || text.equals("NaN") || text.isEmpty()) {
            return Double.NaN;
        }
        return Double.parseDouble(text);
    }
}

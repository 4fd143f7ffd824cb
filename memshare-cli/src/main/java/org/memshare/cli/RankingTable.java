package org.memshare.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A ranking as CSV: a header row {@code name,mi,rank}, then every feature, highest MI first. */
final class RankingTable {
    /** The header row's column names. */
    static final List<String> COLUMNS = List.of("name", "mi", "rank");

    private RankingTable() {
    }

    /**
     * @param file the CSV to write (replaced)
     * @param ranked the features, highest first
     * @throws IOException when the file cannot be written
     */
    static void write(Path file, List<FeatureRanking.Score> ranked) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(String.join(",", COLUMNS));
            out.newLine();
            for (int k = 0; k < ranked.size(); k++) {
                // Full precision, so the file reads back to the same doubles.
                out.write(CsvOutput.name(ranked.get(k).name()) + "," + ranked.get(k).mi() + "," + (k + 1));
                out.newLine();
            }
        }
    }
}

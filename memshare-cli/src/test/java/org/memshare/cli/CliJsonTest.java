package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.registry.MemShare;
import org.memshare.segment.StoreKind;

/**
 * JSON output of odd values: strings with quotes, backslashes, control and non-ASCII characters come
 * back as they were (read by Jackson and by Python's json module); NaN and the infinities are null;
 * doubles keep full precision; the output is ASCII.
 */
class CliJsonTest {
    /** Quotes, a backslash, control characters, DEL, Latin, a line separator, a character outside the BMP. */
    private static final String ODD = "q\"uo\\te\n\t\r\u0001\u001f\u007f é ü \u2028 \uD83D\uDE00 </script>";

    @RegisterExtension
    final CliHarness cli = new CliHarness();

    @AfterEach
    void restore() {
        MemShare.forDirectory(cli.directory()).releaseNamespace("json");
    }

    @Test
    void oddStringsAndNumbersRoundTripAndNonFiniteIsNull() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put(ODD, ODD);
        value.put("nan", Double.NaN);
        value.put("inf", Double.POSITIVE_INFINITY);
        value.put("-inf", Double.NEGATIVE_INFINITY);
        value.put("list", List.of(1.0 / 3, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, Long.MAX_VALUE, Double.NaN));
        value.put("none", null);
        String json = JsonOutput.write(value);
        assertTrue(json.chars().allMatch(c -> c >= 0x20 && c < 0x80), "ASCII only, no raw control characters: " + json);
        assertTrue(json.contains("\"nan\":null,\"inf\":null,\"-inf\":null"), json);
        assertTrue(json.contains("[0.3333333333333333,-0.0,4.9E-324,1.7976931348623157E308,9223372036854775807,null]"), json);
        JsonNode read = new ObjectMapper().readTree(json);
        assertEquals(ODD, read.get(ODD).asText());
        assertTrue(read.get("none").isNull());

        // Python, which the Python command line uses, reads the same values.
        Process python = new ProcessBuilder("/usr/bin/python3", "-c", """
            import json, sys
            d = json.load(sys.stdin)
            odd = [k for k in d if k not in ("nan", "inf", "-inf", "list", "none")][0]
            assert d[odd] == odd
            print(" ".join(str(ord(c)) for c in odd))
            print(d["nan"], d["inf"], d["list"][0] == 1 / 3, d["list"][4])
            """).start();
        python.getOutputStream().write(json.getBytes(StandardCharsets.US_ASCII));
        python.getOutputStream().close();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, python.waitFor(), err);
        List<String> codePoints = new ArrayList<>();
        ODD.codePoints().forEach(c -> codePoints.add(Integer.toString(c)));
        assertEquals(String.join(" ", codePoints) + "\nNone None True 9223372036854775807", out.strip());
    }

    @Test
    void reportRecordsKeepTheirFieldNamesAndOrder() {
        assertEquals("{\"kind\":\"vector\",\"type\":\"double\",\"shape\":[3],\"bytes\":24,\"sum\":0.0,\"min\":null,\"max\":null,"
                + "\"store\":\"posix\"}",
            JsonOutput.write(new Reports.Summary("vector", "double", List.of(3L), 24, null, 0.0, null, null, "posix", null)));
        assertEquals("{\"kind\":\"list\",\"type\":null,\"shape\":[2],\"bytes\":8,\"layout\":\"r-memshare\",\"sum\":1.5,"
                + "\"min\":-1.0E-300,\"max\":null,\"store\":\"file\"}",
            JsonOutput.write(new Reports.Summary("list", null, List.of(2L), 8, "r-memshare", 1.5, -1e-300,
                Double.POSITIVE_INFINITY, "file", null)));
        assertEquals("{\"kind\":\"matrix\",\"type\":\"int\",\"shape\":[1,2],\"bytes\":8,\"sum\":3.0,\"min\":1.0,"
                + "\"max\":2.0,\"store\":\"posix\",\"columns\":[\"a\",\"b\"]}",
            JsonOutput.write(new Reports.Summary("matrix", "int", List.of(1L, 2L), 8, null, 3.0, 1.0, 2.0, "posix",
                List.of("a", "b"))));
        assertEquals("{\"target\":\"y\",\"features\":[{\"name\":\"a\",\"mi\":0.5},{\"name\":\"b\",\"mi\":null}]}",
            JsonOutput.write(new Reports.Selection("y", List.of(new Reports.Feature("a", 0.5),
                new Reports.Feature("b", Double.NaN)))));
    }

    @Test
    @Timeout(120)
    void selectWritesOddColumnNamesAsTheFileHasThem() throws Exception {
        String odd = "a \"quoted\"\tname, é";
        StringBuilder csv = new StringBuilder("\"" + odd.replace("\"", "\"\"") + "\",y,\"\u00fc\"\n");
        for (int i = 0; i < 200; i++) {
            int cls = i % 2;
            csv.append(cls * 2 + (i % 7) * 0.1).append(',').append(cls).append(',').append((i * 37 % 11) * 0.5).append('\n');
        }
        Path file = cli.directory().resolve("odd.csv");
        Files.writeString(file, csv);
        CliHarness.CliRun r = cli.run("select", "--input", file.toString(), "--target", "y", "--discrete-target",
            "--workers", "1", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().chars().allMatch(c -> c < 0x80), r.out());
        JsonNode result = new ObjectMapper().readTree(r.out());
        assertEquals("y", result.get("target").asText());
        assertEquals(odd, result.get("features").get(0).get("name").asText());
        assertEquals("\u00fc", result.get("features").get(1).get("name").asText());
    }

    @Test
    void showOfAllMissingValuesHasNullMinAndMax() {
        MemShare.forDirectory(cli.directory()).register("json", "v", new double[] {Double.NaN, Double.NaN});
        CliHarness.CliRun r = cli.run("show", "json", "v", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"kind\":\"vector\",\"type\":\"double\",\"shape\":[2],\"bytes\":16,\"sum\":0.0,\"min\":null,\"max\":null,"
            + "\"store\":\"" + StoreKind.configured().label() + "\"}", r.out().strip());
    }
}

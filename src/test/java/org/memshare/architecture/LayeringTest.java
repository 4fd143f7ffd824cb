package org.memshare.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Lower layers never import higher ones: segment → format → registry → apply → cli; stats stands alone. */
class LayeringTest {
    private static final Map<String, List<String>> ALLOWED = Map.of(
        "segment", List.of(),
        "format", List.of("segment"),
        "registry", List.of("segment", "format"),
        "apply", List.of("segment", "format", "registry"),
        "stats", List.of(),
        "cli", List.of("segment", "format", "registry", "apply", "stats"));
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?org\\.memshare\\.(\\w+)\\.", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\borg\\.memshare\\.(\\w+)\\.[A-Z]");

    @Test
    void noPackageReachesAHigherLayer() throws IOException {
        Path root = Path.of("src/main/java/org/memshare");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String layer = root.relativize(file).getName(0).toString();
                List<String> allowed = ALLOWED.get(layer);
                if (allowed == null) {
                    violations.add(file + ": package not assigned to a layer");
                    continue;
                }
                String source = Files.readString(file);
                for (Pattern pattern : List.of(IMPORT, QUALIFIED)) {
                    Matcher m = pattern.matcher(source);
                    while (m.find()) {
                        String used = m.group(1);
                        if (!used.equals(layer) && !allowed.contains(used)) {
                            violations.add(file + " uses org.memshare." + used);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}

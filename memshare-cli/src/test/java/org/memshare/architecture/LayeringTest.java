package org.memshare.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * The architecture, checked on the sources of every module: each package belongs to one layer of one
 * module, and lower layers never import higher ones. In {@code memshare-core}: segment → format →
 * registry → io (matrix files) and apply, with stats standing alone; then the command line, the Spark module and the
 * benchmarks on top.
 */
class LayeringTest {
    private static final List<String> CORE = List.of("segment", "format", "registry", "io", "apply", "stats");

    /** Package → the other memshare packages it may use. */
    private static final Map<String, List<String>> ALLOWED = Map.of(
        "segment", List.of(),
        "format", List.of("segment"),
        "registry", List.of("segment", "format"),
        "io", List.of("segment", "format", "registry"),
        "apply", List.of("segment", "format", "registry"),
        "stats", List.of(),
        "cli", CORE,
        "spark", concat(CORE, "cli"),
        "bench", concat(CORE, "cli", "spark"));

    /** Module directory → the packages it may hold. */
    private static final Map<String, List<String>> MODULES = Map.of(
        "memshare-core", CORE,
        "memshare-cli", List.of("cli"),
        "memshare-spark", List.of("spark"),
        "memshare-bench", List.of("bench"));

    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?org\\.memshare\\.(\\w+)\\.", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\borg\\.memshare\\.(\\w+)\\.[A-Z]");

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return List.copyOf(all);
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("memshare-core")) && Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void noPackageReachesAHigherLayerInAnyModule() throws IOException {
        Path repository = repositoryRoot();
        List<String> violations = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> modules = Files.list(repository)) {
            for (Path module : modules.filter(m -> m.getFileName().toString().startsWith("memshare-")).sorted().toList()) {
                List<String> packages = MODULES.get(module.getFileName().toString());
                if (packages == null) {
                    violations.add(module.getFileName() + ": module not assigned to the architecture");
                    continue;
                }
                Path root = module.resolve("src/main/java/org/memshare");
                if (!Files.isDirectory(root)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        checked++;
                        String layer = root.relativize(file).getName(0).toString();
                        if (!packages.contains(layer)) {
                            violations.add(repository.relativize(file) + ": package " + layer + " does not belong in "
                                + module.getFileName());
                            continue;
                        }
                        String source = Files.readString(file);
                        for (Pattern pattern : List.of(IMPORT, QUALIFIED)) {
                            Matcher m = pattern.matcher(source);
                            while (m.find()) {
                                String used = m.group(1);
                                if (!used.equals(layer) && !ALLOWED.get(layer).contains(used)) {
                                    violations.add(repository.relativize(file) + " uses org.memshare." + used);
                                }
                            }
                        }
                    }
                }
            }
        }
        assertTrue(checked > 50, "sources of every module were read (" + checked + ")");
        assertEquals(List.of(), violations);
    }

    @Test
    void theCoreModuleHasNoRuntimeDependencies() throws IOException {
        String pom = Files.readString(repositoryRoot().resolve("memshare-core/pom.xml"));
        Matcher dependency = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL).matcher(pom);
        while (dependency.find()) {
            assertTrue(dependency.group(1).contains("<scope>test</scope>"),
                "memshare-core may depend on test libraries only: " + dependency.group(1).strip());
        }
    }
}

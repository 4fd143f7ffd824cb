package org.memshare.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Conventions checked on the main and test sources of every module: one class per simple name (no two
 * types, nested and local ones included, share one, so a name in a stack trace, a log line or a
 * conversation means one thing), and JDK classes imported rather than written fully qualified in code.
 */
class SourceConventionsTest {
    private static final Pattern QUALIFIED_JDK_NAME = Pattern.compile("(?<![\\w.])java\\.(?:[a-z]\\w*\\.)+[A-Z]\\w*");
    private static final Pattern DECLARATION = Pattern.compile(
        "(?<![\\w.@])(?:class|interface|enum|record|@interface)\\s+([A-Z]\\w*)");

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("memshare-core")) && Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
    }

    /** The source without comments, string and character literals and text blocks (which may say "class X"). */
    static String code(String source) {
        StringBuilder code = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            if (source.startsWith("//", i)) {
                i = indexOrEnd(source, "\n", i);
            } else if (source.startsWith("/*", i)) {
                i = indexOrEnd(source, "*/", i + 2) + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                i = indexOrEnd(source, "\"\"\"", i + 3) + 3;
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                char quote = source.charAt(i++);
                while (i < source.length() && source.charAt(i) != quote) {
                    i += source.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
            } else {
                code.append(source.charAt(i++));
            }
        }
        return code.toString();
    }

    private static int indexOrEnd(String text, String what, int from) {
        int at = text.indexOf(what, from);
        return at < 0 ? text.length() : at;
    }

    static List<String> declaredNames(String source) {
        List<String> names = new ArrayList<>();
        Matcher m = DECLARATION.matcher(code(source));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Every Java source of the modules' main and test source sets, by path relative to the repository. */
    static Map<String, String> sources() throws IOException {
        Path repository = repositoryRoot();
        Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> modules = Files.list(repository)) {
            for (Path module : modules.filter(m -> m.getFileName().toString().startsWith("memshare-")).toList()) {
                for (String set : List.of("src/main/java", "src/test/java")) {
                    Path root = module.resolve(set);
                    if (!Files.isDirectory(root)) {
                        continue;
                    }
                    try (Stream<Path> files = Files.walk(root)) {
                        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                            sources.put(repository.relativize(file).toString(), Files.readString(file));
                        }
                    }
                }
            }
        }
        return sources;
    }

    @Test
    void noTwoTypesInAnyModuleShareASimpleName() throws IOException {
        Map<String, List<String>> places = new TreeMap<>();
        sources().forEach((file, source) -> {
            for (String name : declaredNames(source)) {
                places.computeIfAbsent(name, n -> new ArrayList<>()).add(file);
            }
        });
        assertTrue(places.size() > 100, "types found: " + places.size());
        List<String> duplicates = new ArrayList<>();
        places.forEach((name, where) -> {
            if (where.size() > 1) {
                duplicates.add(name + ": " + where);
            }
        });
        assertTrue(duplicates.isEmpty(), "simple names declared more than once (rename one):\n"
            + String.join("\n", duplicates));
    }

    @Test
    void jdkClassesAreImportedNotWrittenFullyQualified() throws IOException {
        List<String> found = new ArrayList<>();
        sources().forEach((file, source) -> {
            String code = code(source);
            for (String line : code.split("\\R")) {
                Matcher m = QUALIFIED_JDK_NAME.matcher(line);
                if (!line.strip().startsWith("import ") && !line.strip().startsWith("package ") && m.find()) {
                    found.add(file + ": " + m.group());
                }
            }
        });
        assertTrue(found.isEmpty(), "import these instead:\n" + String.join("\n", found));
    }

    @Test
    void declarationsAreFoundInCodeOnly() {
        assertTrue(declaredNames("""
            /** A class Foo in a comment. */
            final class Outer {
                // class Bar
                String s = "class Baz java.util.List";
                record Inner(int a) { }
                enum Colour { RED }
                interface Shape { }
                @interface Marked { }
                void m() { class Local { } Object o = Outer.class; }
            }
            """).equals(List.of("Outer", "Inner", "Colour", "Shape", "Marked", "Local")));
    }
}

package org.memshare.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java snippet of README.md and docs/*.md is compiled and run: each {@code ```java} block must
 * equal (up to indentation) a region of a test source, marked {@code // docs:begin NAME} …
 * {@code // docs:end NAME}, under {@code src/test/java/org/memshare/examples} of any module; and
 * every region must appear in the docs. To change a snippet, change its region (the test around it
 * runs it and checks what it does), then copy the region into the document.
 */
class DocSnippetsTest {
    private static final Pattern BLOCK = Pattern.compile("^```java\\R((?:.*\\R)*?)```", Pattern.MULTILINE);
    private static final Pattern BEGIN = Pattern.compile("^\\s*// docs:begin (\\S+)\\s*$");
    private static final Pattern END = Pattern.compile("^\\s*// docs:end (\\S+)\\s*$");

    record Snippet(String where, List<String> lines) {
    }

    static Path repository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs")) && Files.isRegularFile(dir.resolve("README.md"))
                && Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
    }

    /** The lines without their common indentation and trailing blanks, and without blank lines at either end. */
    static List<String> normalised(List<String> lines) {
        List<String> trimmed = new ArrayList<>(lines.stream().map(String::stripTrailing).toList());
        while (!trimmed.isEmpty() && trimmed.getFirst().isEmpty()) {
            trimmed.removeFirst();
        }
        while (!trimmed.isEmpty() && trimmed.getLast().isEmpty()) {
            trimmed.removeLast();
        }
        int indent = trimmed.stream().filter(l -> !l.isEmpty()).mapToInt(l -> l.length() - l.stripLeading().length())
            .min().orElse(0);
        return trimmed.stream().map(l -> l.isEmpty() ? l : l.substring(indent)).toList();
    }

    static List<Snippet> documentedSnippets(Path repository) throws IOException {
        List<Path> documents = new ArrayList<>(List.of(repository.resolve("README.md")));
        try (Stream<Path> docs = Files.list(repository.resolve("docs"))) {
            documents.addAll(docs.filter(f -> f.toString().endsWith(".md")).sorted().toList());
        }
        List<Snippet> snippets = new ArrayList<>();
        for (Path document : documents) {
            String text = Files.readString(document);
            Matcher m = BLOCK.matcher(text);
            while (m.find()) {
                long line = text.substring(0, m.start()).lines().count() + 1;
                snippets.add(new Snippet(repository.relativize(document) + ":" + line,
                    normalised(m.group(1).lines().toList())));
            }
        }
        return snippets;
    }

    static Map<String, Snippet> exampleRegions(Path repository) throws IOException {
        Map<String, Snippet> regions = new LinkedHashMap<>();
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(repository)) {
            for (Path module : modules.filter(m -> m.getFileName().toString().startsWith("memshare-")).sorted().toList()) {
                Path examples = module.resolve("src/test/java/org/memshare/examples");
                if (Files.isDirectory(examples)) {
                    try (Stream<Path> files = Files.list(examples)) {
                        sources.addAll(files.filter(f -> f.toString().endsWith(".java")).sorted().toList());
                    }
                }
            }
        }
        for (Path source : sources) {
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                Matcher begin = BEGIN.matcher(lines.get(i));
                if (!begin.matches()) {
                    continue;
                }
                String name = begin.group(1);
                int end = i + 1;
                while (end < lines.size() && !END.matcher(lines.get(end)).matches()) {
                    end++;
                }
                Matcher close = END.matcher(end < lines.size() ? lines.get(end) : "");
                assertTrue(close.matches() && close.group(1).equals(name),
                    "region " + name + " in " + source + " needs its own // docs:end " + name);
                Snippet previous = regions.put(name, new Snippet(repository.relativize(source) + ":" + (i + 1),
                    normalised(lines.subList(i + 1, end))));
                assertTrue(previous == null, "two regions named " + name + ": " + previous + " and " + source);
            }
        }
        return regions;
    }

    @Test
    void everyJavaSnippetInTheDocsIsARegionOfATestedExample() throws IOException {
        Path repository = repository();
        List<Snippet> snippets = documentedSnippets(repository);
        Map<String, Snippet> regions = exampleRegions(repository);
        assertTrue(snippets.size() >= 8, "the docs' Java snippets were found: " + snippets.size());
        List<String> problems = new ArrayList<>();
        List<String> used = new ArrayList<>();
        for (Snippet snippet : snippets) {
            String match = regions.entrySet().stream().filter(e -> e.getValue().lines().equals(snippet.lines()))
                .map(Map.Entry::getKey).findFirst().orElse(null);
            if (match == null) {
                problems.add(snippet.where() + ": this ```java block is no region of an example under"
                    + " src/test/java/org/memshare/examples (// docs:begin NAME … // docs:end NAME); it reads:\n"
                    + String.join("\n", snippet.lines()));
            } else {
                used.add(match);
            }
        }
        for (Map.Entry<String, Snippet> region : regions.entrySet()) {
            if (!used.contains(region.getKey())) {
                problems.add(region.getValue().where() + ": region " + region.getKey() + " is in no document");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n\n", problems));
    }

    @Test
    void normalisingIgnoresIndentationOnly() {
        assertTrue(normalised(List.of("", "    a();", "      b();  ", "")).equals(List.of("a();", "  b();")));
        assertTrue(!normalised(List.of("a();", "b();")).equals(normalised(List.of("a();", "c();"))));
    }
}

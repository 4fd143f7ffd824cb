package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.memshare.testing.Command;

/**
 * The conventions every verb follows: {@code --help} and {@code --version} (exit 0), unknown options
 * and stray arguments are usage errors (exit 2, with the verb's usage line), failures exit 1 with one
 * line and no Java class name, and the stack trace only with {@code --debug}.
 */
class CliConventionsTest {
    @RegisterExtension
    final CliHarness cli = new CliHarness();

    /** Every verb with arguments that parse (the verb is not run by the tests below). */
    static Stream<List<String>> verbs() {
        return Stream.of(
            List.of("demo"),
            List.of("select", "--input", "data.csv", "--target", "y"),
            List.of("ls"),
            List.of("gc"),
            List.of("load", "data.csv", "--namespace", "ns", "--name", "X"),
            List.of("show", "ns", "X"),
            List.of("completion"));
    }

    private static String[] with(List<String> verb, String... more) {
        List<String> args = new ArrayList<>(verb);
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** The version in the build, from the module's pom (its parent's version). */
    static String buildVersion() throws IOException {
        Matcher m = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL)
            .matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find(), "no parent version in pom.xml");
        return m.group(1);
    }

    @Test
    void topLevelHelpVersionAndMissingVerb() throws IOException {
        CliHarness.CliRun help = cli.run("--help");
        assertEquals(0, help.code(), help.err());
        for (String verb : List.of("demo", "select", "ls", "gc", "load", "show", "completion")) {
            assertTrue(help.out().contains("  " + verb + " "), verb + " listed in: " + help.out());
        }
        assertEquals("", help.err());
        CliHarness.CliRun version = cli.run("--version");
        assertEquals(0, version.code());
        assertEquals("memshare " + buildVersion(), version.out().strip());
        assertEquals("memshare 0.2.0", version.out().strip(), "the version this build documents");
        CliHarness.CliRun none = cli.run();
        assertEquals(2, none.code());
        assertTrue(none.err().startsWith("memshare: give a verb"), none.err());
        assertEquals("", none.out());
        CliHarness.CliRun unknown = cli.run("lss");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown verb: 'lss'") && unknown.err().contains("memshare ls"), unknown.err());
        assertEquals(0, cli.run("help", "show").code());
        assertEquals(2, cli.run("--no-such-option").code());
    }

    @ParameterizedTest
    @MethodSource("verbs")
    void helpAndVersionExitZeroOnStandardOutput(List<String> verb) throws IOException {
        CliHarness.CliRun help = cli.run(verb.getFirst(), "--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().startsWith("Usage: memshare " + verb.getFirst()), help.out());
        assertTrue(help.out().contains("--debug"), "--debug is an option of every verb: " + help.out());
        assertEquals("", help.err());
        CliHarness.CliRun version = cli.run(verb.getFirst(), "--version");
        assertEquals(0, version.code(), version.err());
        assertEquals("memshare " + buildVersion(), version.out().strip());
    }

    @ParameterizedTest
    @MethodSource("verbs")
    void unknownOptionsAndStrayArgumentsAreUsageErrors(List<String> verb) {
        for (String[] args : List.of(with(verb, "--no-such-option"), with(verb, "stray"), with(verb, "-z"))) {
            CliHarness.CliRun r = cli.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals("", r.out(), "nothing on standard output for a usage error");
            List<String> lines = r.err().lines().toList();
            assertTrue(lines.getFirst().startsWith("memshare " + verb.getFirst() + ": "), r.err());
            assertTrue(r.err().contains("Usage: memshare " + verb.getFirst()), r.err());
        }
    }

    @Test
    void badValuesAndMissingOptionsAreUsageErrors() {
        assertEquals(2, cli.run("demo", "--rows", "many").code());
        assertEquals(2, cli.run("demo", "--workers", "0").code());
        assertEquals(2, cli.run("demo", "--threads-per-worker", "0").code());
        assertEquals(2, cli.run("select", "--input", "data.csv", "--target", "y", "--threads-per-worker", "0").code());
        assertEquals(2, cli.run("demo", "--top", "0").code());
        assertEquals(2, cli.run("demo", "--rows").code());
        assertEquals(2, cli.run("select", "--input", "data.csv").code());
        assertEquals(2, cli.run("select", "--input", "data.csv", "--target", "y", "--workers", "-1").code());
        assertEquals(2, cli.run("load", "data.csv", "--name", "X").code());
        assertEquals(2, cli.run("load", "--namespace", "ns", "--name", "X").code());
        assertEquals(2, cli.run("show", "ns").code());
    }

    @Test
    void aFailureIsOneLineWithoutClassNamesAndTheStackTraceOnlyWithDebug() {
        CliHarness.CliRun failure = cli.run("show", "ns", "missing");
        assertEquals(1, failure.code());
        assertEquals(List.of("memshare show: variable not registered: variable=ns.missing, directory=" + cli.directory()),
            failure.err().lines().toList());
        assertEquals("", failure.out());
        assertNoClassName(failure.err());

        CliHarness.CliRun missingFile = cli.run("select", "--input", cli.directory().resolve("none.csv").toString(),
            "--target", "y");
        assertEquals(1, missingFile.code());
        assertEquals(1, missingFile.err().lines().count(), missingFile.err());
        assertTrue(missingFile.err().contains("no such file"), missingFile.err());
        assertNoClassName(missingFile.err());

        for (String[] args : List.of(new String[] {"--debug", "show", "ns", "missing"},
            new String[] {"show", "ns", "missing", "--debug"})) {
            CliHarness.CliRun debug = cli.run(args);
            assertEquals(1, debug.code());
            assertTrue(debug.err().startsWith("memshare show: variable not registered"), debug.err());
            assertTrue(debug.err().contains("UnknownVariableException") && debug.err().contains("\tat org.memshare."),
                "--debug prints the stack trace: " + debug.err());
        }
    }

    @Test
    @Timeout(60)
    void theDebugVariableAlsoShowsTheStackTrace() throws Exception {
        Map<String, String> env = Map.of("MEMSHARE_DIR", cli.directory().toString());
        Command.Captured plain = Command.run(CliProcess.javaMain("show", "ns", "missing"), env, cli.directory(), 60);
        assertEquals(1, plain.code());
        assertEquals(1, plain.err().lines().count(), plain.err());
        Command.Captured debug = Command.run(CliProcess.javaMain("show", "ns", "missing"),
            Map.of("MEMSHARE_DIR", cli.directory().toString(), Main.DEBUG_VARIABLE, "1"), cli.directory(), 60);
        assertEquals(1, debug.code());
        assertTrue(debug.err().contains("\tat org.memshare."), debug.err());
    }

    @Test
    @Timeout(60)
    void completionPrintsABashScriptForEveryVerb() throws Exception {
        CliHarness.CliRun r = cli.run("completion");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("complete -F"), r.out());
        for (String verb : List.of("demo", "select", "ls", "gc", "load", "show")) {
            assertTrue(r.out().contains(verb), verb);
        }
        Path script = cli.directory().resolve("memshare-completion.bash");
        Files.writeString(script, r.out());
        Command.Captured syntax = Command.run(List.of("bash", "-n", script.toString()), Map.of(), cli.directory(), 30);
        assertEquals(0, syntax.code(), "bash reads the script: " + syntax.err());
        Command.Captured completes = Command.run(List.of("bash", "-c",
            "source " + script + " && COMP_WORDS=(memshare sh) && COMP_CWORD=1 && COMP_LINE='memshare sh' && COMP_POINT=11"
                + " && _picocli_memshare && echo \"${COMPREPLY[@]}\""), Map.of(), cli.directory(), 30);
        assertEquals(0, completes.code(), completes.err());
        assertEquals("show", completes.out().strip(), "'memshare sh<TAB>' completes to show");
    }

    @Test
    void failureMessagesLoseWrapperClassNamesButKeepTheirFacts() {
        assertEquals("no such file: path=/x/y.csv",
            FailureMessage.of(new UncheckedIOException(new NoSuchFileException("/x/y.csv"))));
        assertEquals("cannot read: path=/x (permission denied: path=/x)",
            FailureMessage.of(new UncheckedIOException("cannot read: path=/x",
                new AccessDeniedException("/x"))));
        assertEquals("worker failed: reason=boom", FailureMessage.of(
            new RuntimeException(new IllegalStateException("java.lang.IllegalStateException: worker failed:\n reason=boom"))));
        String none = FailureMessage.of(new IllegalStateException());
        assertTrue(none.contains("--debug"), none);
        assertNoClassName(FailureMessage.of(new NullPointerException()));
        assertNoClassName(FailureMessage.of(new OutOfMemoryError("Java heap space")));
    }

    private static void assertNoClassName(String text) {
        assertFalse(Pattern.compile("\\b\\w+(Exception|Error)\\b|\\bjava\\.|\\tat ").matcher(text).find(),
            "no Java class name or stack frame in: " + text);
    }
}

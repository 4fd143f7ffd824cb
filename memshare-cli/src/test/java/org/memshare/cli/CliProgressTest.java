package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.testing.Command;

/**
 * Progress goes to standard error: a bar redrawn with {@code \r} only when standard error is a
 * terminal, otherwise a plain line at most every 10 %, nothing with {@code --quiet} or {@code --json};
 * standard output holds only results.
 */
class CliProgressTest {
    private static final Pattern LINE = Pattern.compile("ranking features: (\\d+)% \\((\\d+)/(\\d+)\\)");
    private static final String[] SMALL_DEMO = {"demo", "--rows", "400", "--features", "40", "--workers", "1", "--top", "3"};

    @RegisterExtension
    final CliHarness cli = new CliHarness();

    @Test
    void plainLinesAtMostEveryTenthEndingAtTheTotal() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), "work", ProgressBar.Mode.LINES);
        for (long done = 0; done <= 1000; done += 7) {
            bar.progress(done, 1000);
        }
        bar.progress(1000, 1000);
        bar.progress(1000, 1000);
        bar.finish();
        List<String> lines = text.toString().lines().toList();
        assertEquals(10, lines.size(), text.toString());
        assertEquals("work: 10% (105/1000)", lines.getFirst());
        assertEquals("work: 100% (1000/1000)", lines.getLast());
        assertFalse(text.toString().contains("\r"));
    }

    @Test
    void aBarIsRedrawnInPlaceAndEndsItsLine() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), "work", ProgressBar.Mode.BAR);
        bar.progress(5, 10);
        bar.progress(10, 10);
        bar.finish();
        assertTrue(text.toString().startsWith("\rwork [###############---------------]  50%  5/10\rwork ["), text.toString());
        assertTrue(text.toString().endsWith("100%  10/10" + System.lineSeparator()), text.toString());
        StringWriter off = new StringWriter();
        ProgressBar none = new ProgressBar(new PrintWriter(off), "work", ProgressBar.Mode.OFF);
        none.progress(10, 10);
        none.finish();
        assertEquals("", off.toString());
    }

    @Test
    @Timeout(120)
    void demoProgressAndNotesGoToStandardErrorResultsToStandardOutput() {
        CliHarness.CliRun r = cli.run(SMALL_DEMO);
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("\r"), "standard error is no terminal here: " + r.err());
        List<Integer> tenths = new ArrayList<>();
        for (String line : r.err().lines().toList()) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                tenths.add(Integer.parseInt(m.group(1)) / 10);
                assertEquals("40", m.group(3));
            }
        }
        assertFalse(tenths.isEmpty(), r.err());
        assertTrue(tenths.size() <= 10, r.err());
        for (int k = 1; k < tenths.size(); k++) {
            assertTrue(tenths.get(k) > tenths.get(k - 1), "at most one line per tenth: " + r.err());
        }
        assertEquals(10, tenths.getLast(), "ends at 100 %: " + r.err());
        assertTrue(r.err().contains("registered demo"), "notes on standard error: " + r.err());
        assertTrue(r.out().startsWith("top 3 features by mutual information"), r.out());
        assertFalse(r.out().contains("ranking features") || r.out().contains("registered"), r.out());

        CliHarness.CliRun quiet = cli.run(with(SMALL_DEMO, "--quiet"));
        assertEquals(0, quiet.code());
        assertEquals("", quiet.err(), "--quiet: nothing on standard error");
        assertTrue(quiet.out().startsWith("top 3 features"), quiet.out());

        CliHarness.CliRun json = cli.run(with(SMALL_DEMO, "--json"));
        assertEquals(0, json.code(), json.err());
        assertFalse(json.err().contains("ranking features"), "--json: no progress: " + json.err());
        assertEquals(1, json.out().lines().count(), json.out());
        assertTrue(json.out().startsWith("{\"features\":["), json.out());
    }

    private static String[] with(String[] args, String more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(more);
        return all.toArray(String[]::new);
    }

    /** Through a real pseudo-terminal ({@code script}): a bar on a terminal, lines when only stdout is one. */
    @Test
    @Timeout(180)
    void aTerminalGetsABarAndAFileGetsLinesEvenWhenStandardOutputIsATerminal() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script is needed for a pty");
        StringBuilder command = new StringBuilder();
        for (String arg : CliProcess.javaMain(SMALL_DEMO)) {
            command.append('\'').append(arg.replace("'", "'\\''")).append("' ");
        }
        Map<String, String> env = Map.of("MEMSHARE_DIR", cli.directory().toString());
        Command.Captured tty = Command.run(List.of("/usr/bin/script", "-qec", command.toString(), "/dev/null"), env,
            cli.directory(), 120);
        assertEquals(0, tty.code(), tty.out() + tty.err());
        assertTrue(tty.out().contains("\rranking features ["), "a bar on the terminal: " + tty.out());
        assertFalse(LINE.matcher(tty.out()).find(), tty.out());

        Path err = cli.directory().resolve("err.txt");
        Command.Captured file = Command.run(List.of("/usr/bin/script", "-qec", command + "2>" + err, "/dev/null"), env,
            cli.directory(), 120);
        assertEquals(0, file.code(), file.out() + file.err());
        String errText = Files.readString(err);
        assertTrue(LINE.matcher(errText).find() && !errText.contains("\r"), "lines in the file: " + errText);
        assertTrue(file.out().contains("top 3 features"), file.out());

        Command.Captured off = Command.run(CliProcess.javaMain(SMALL_DEMO),
            Map.of("MEMSHARE_DIR", cli.directory().toString(), ProgressBar.MODE_VARIABLE, "off"), cli.directory(), 120);
        assertEquals(0, off.code(), off.err());
        assertFalse(off.err().contains("ranking features"), off.err());
        Command.Captured bad = Command.run(CliProcess.javaMain("ls"),
            Map.of("MEMSHARE_DIR", cli.directory().toString(), ProgressBar.MODE_VARIABLE, "sometimes"), cli.directory(), 60);
        assertEquals(2, bad.code());
        assertEquals("memshare: MEMSHARE_PROGRESS must be bar, lines or off: value=sometimes", bad.err().strip());
    }
}

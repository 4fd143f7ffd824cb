package org.memshare.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.testing.Command;
import org.memshare.testing.TempShm;

/**
 * The example session of docs/CLI.md runs as written: its shell block, line by line, in an empty
 * directory where {@code ./memshare} is a symlink to the real launcher; every command must succeed
 * and print what the session is there to show.
 */
class CliSessionIT {
    private static final Pattern SESSION = Pattern.compile("## Example session\\R(?:.*\\R)*?```bash\\R((?:.*\\R)*?)```");

    @RegisterExtension
    final TempShm shm = new TempShm();

    static List<String> sessionLines() throws Exception {
        String doc = Files.readString(Launcher.repository().resolve("docs/CLI.md"));
        Matcher m = SESSION.matcher(doc);
        assertTrue(m.find(), "docs/CLI.md has an '## Example session' with a ```bash block");
        return m.group(1).lines().filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
    }

    @Test
    @Timeout(600)
    void theExampleSessionRunsAsWritten(@TempDir Path home) throws Exception {
        Files.createSymbolicLink(home.resolve("memshare"), Launcher.repository().resolve("memshare"));
        List<String> lines = sessionLines();
        StringBuilder script = new StringBuilder();
        for (String line : lines) {
            script.append(line).append("\nprintf '\\n@@status %d@@\\n' $?\n");
        }
        Command.Captured r;
        try {
            r = Launcher.bash(script.toString(), home, Map.of("MEMSHARE_DIR", shm.directory().toString()), 540);
        } finally {
            Launcher.unlink(home);
        }
        String[] outputs = r.out().split("\\n@@status ");
        assertEquals(lines.size() + 1, outputs.length, "every line ran: " + r.out() + r.err());
        List<String> commands = new ArrayList<>();
        for (int k = 0; k < lines.size(); k++) {
            String status = outputs[k + 1].substring(0, outputs[k + 1].indexOf("@@"));
            assertEquals("0", status, "exit status of: " + lines.get(k) + "\n" + r.out() + r.err());
            String output = outputs[k].replaceFirst("^\\d+@@\\n", "");
            String command = lines.get(k).replaceAll("\\s+#.*", "");
            commands.add(command);
            if (command.startsWith("./memshare demo")) {
                assertTrue(output.contains("5 of 5 are the top 5"), "the demo finds its planted features: " + output);
            } else if (command.startsWith("./memshare select")) {
                assertTrue(output.startsWith("features ranked by mutual information with class"), output);
            } else if (command.equals("./memshare ls")) {
                assertTrue(output.matches("(?s).*\\bns\\s+X\\s+matrix\\s+double\\s+2000x51\\b.*"), output);
            } else if (command.startsWith("./memshare show ns X --json")) {
                assertTrue(output.startsWith("{\"kind\":\"matrix\",\"type\":\"double\",\"shape\":[2000,51]"), output);
            } else if (command.equals("./memshare ls --json")) {
                assertEquals("[]", output.strip(), "released when the holder stopped");
            }
        }
        for (String expected : List.of("./memshare demo", "./memshare select", "./memshare load", "./memshare ls",
            "./memshare show ns X --json", "./memshare ls --json")) {
            assertTrue(commands.stream().anyMatch(c -> c.startsWith(expected) || c.contains("| " + expected)),
                "the session shows " + expected + ": " + commands);
        }
        assertTrue(Files.isRegularFile(home.resolve("data.csv")), "the demo saved its data set");
    }
}

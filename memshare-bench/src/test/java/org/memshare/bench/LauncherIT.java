package org.memshare.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.testing.Command;
import org.memshare.testing.TempShm;

/**
 * The launcher works through a symlink and from any working directory: file arguments are the user's,
 * relative to where they are; the jar and its workers are found beside the real script. Runs after
 * the application jar is built ({@code verify}), so the launcher does not need to build it.
 */
class LauncherIT {
    @RegisterExtension
    final TempShm shm = new TempShm();

    @Test
    @Timeout(300)
    void runsThroughSymlinksFromAnotherDirectory(@TempDir Path home) throws Exception {
        Path link = Launcher.link(home);
        Path work = Files.createDirectories(home.resolve("work"));
        StringBuilder csv = new StringBuilder("y,signal,noise\n");
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 300; i++) {
            int y = random.nextInt(2);
            csv.append(y).append(',').append(y * 2 + random.nextGaussian() * 0.5).append(',').append(random.nextGaussian())
                .append('\n');
        }
        Files.writeString(work.resolve("data.csv"), csv);
        Map<String, String> env = Map.of("MEMSHARE_DIR", shm.directory().toString());
        String script = "set -u\n"
            + "../memshare --version; echo \"@status $?\"\n"
            + link.getParent().resolve("bin/memshare") + " ls --json; echo \"@status $?\"\n"
            + "../memshare select --input data.csv --target y --discrete-target --workers 1 --json --quiet; echo \"@status $?\"\n"
            + "../memshare demo --no-such-option 2>&1; echo \"@status $?\"\n"
            + "../memshare show ns missing 2>&1; echo \"@status $?\"\n";
        Command.Captured r;
        try {
            r = Launcher.bash(script, work, env, 240);
        } finally {
            Launcher.unlink(home);
        }
        assertEquals(0, r.code(), r.out() + r.err());
        String[] parts = r.out().split("@status ");
        assertEquals("memshare 0.2.0", parts[0].strip(), r.out());
        assertTrue(parts[1].startsWith("0\n[]"), r.out());
        assertTrue(parts[2].startsWith("0\n{\"target\":\"y\",\"features\":[{\"name\":\"signal\""), r.out());
        assertTrue(parts[3].startsWith("0\nmemshare demo: Unknown option: '--no-such-option'"), r.out());
        assertTrue(parts[4].startsWith("2\nmemshare show: variable not registered: variable=ns.missing"), r.out());
        assertTrue(parts[5].startsWith("1"), r.out());
    }
}

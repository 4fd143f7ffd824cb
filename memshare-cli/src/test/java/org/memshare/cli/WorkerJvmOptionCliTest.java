package org.memshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.testing.TempShm;

/** {@code --worker-jvm-option} reaches every worker JVM of {@code demo} (and {@code select}, which shares the mixin). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerJvmOptionCliTest {
    @RegisterExtension
    final TempShm shm = new TempShm();
    private CliHarness cli;

    @BeforeEach
    void pointTheCliAtTheTestDirectory() {
        cli = new CliHarness(shm.directory());
    }

    @AfterEach
    void restore() {
        cli.close();
    }

    @Test
    void aWorkerJvmOptionIsPassedToTheWorkersAndARefusedOneSaysWhatToSet() {
        CliHarness.CliRun ok = cli.run("demo", "--rows", "300", "--features", "6", "--workers", "1", "--top", "2",
            "--worker-jvm-option=-Xmx300m", "--json");
        assertEquals(0, ok.code(), ok.err());
        CliHarness.CliRun refused = cli.run("demo", "--rows", "300", "--features", "6", "--workers", "1",
            "--worker-jvm-option=-XX:+NoSuchJvmOption", "--json");
        assertEquals(1, refused.code(), refused.err());
        // One line says what failed, what to set and the workers' command line (notes precede it).
        String failure = refused.err().strip().lines().toList().getLast();
        assertTrue(failure.contains("worker exited before it was ready") && failure.contains(
            "the JVM refused an option: check WorkerOptions.jvmOptions") && failure.contains("-XX:+NoSuchJvmOption"),
            refused.err());
    }
}

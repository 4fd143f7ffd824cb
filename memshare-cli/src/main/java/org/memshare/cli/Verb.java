package org.memshare.cli;

import java.util.concurrent.Callable;

/**
 * One verb of the {@code memshare} command: a class annotated with picocli's {@code @Command} whose
 * {@link #call()} does the work and returns the exit code (0 for success). Options are annotated
 * fields; bad arguments found while running are thrown as {@link UsageException} (exit code 2), other
 * failures as any exception (exit code 1, printed as one line).
 *
 * <p>Modules above the command line add their verbs without the command line depending on them: they
 * list their verb classes (public, with a public no-argument constructor) in
 * {@code META-INF/services/org.memshare.cli.Verb}, and {@link Main} finds them with
 * {@link java.util.ServiceLoader}. For example, the benchmarks module adds {@code bench}:
 *
 * <pre>{@code
 * @Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Version.class,
 *     description = "Run a benchmark suite.")
 * public final class BenchCommand implements Verb {
 *     @Mixin
 *     ReportOptions report;
 *
 *     public Integer call() {
 *         report.note("running%n");
 *         return 0;
 *     }
 * }
 * }</pre>
 */
public interface Verb extends Callable<Integer> {
    /**
     * Runs the verb.
     *
     * @return the process exit code, 0 for success
     * @throws UsageException for bad arguments (exit code 2)
     * @throws Exception for a failure (exit code 1)
     */
    @Override
    Integer call() throws Exception;
}

package org.memshare.spark;

import java.util.Map;
import org.memshare.cli.ReportOptions;
import org.memshare.cli.UsageException;
import org.memshare.cli.Verb;
import org.memshare.cli.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code memshare bench spark [--json] [--quick]}: the Spark benchmark. The command line finds this
 * verb through {@link java.util.ServiceLoader} on the Spark module's class path, which {@code ./memshare}
 * uses for Spark runs only (the other suites live in the benchmarks module, on the default class path).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Run the Spark benchmark: a matrix of 1 GB on two executor JVMs of this host, memshare's one",
        "shared copy against a Spark broadcast (PSS per matrix byte), copies per host, and the ranking's time",
        "on Spark against two local worker JVMs."})
public final class SparkBenchCommand implements Verb {
    @Mixin
    private ReportOptions report;

    @Option(names = "--quick", description = "A small matrix (16 MB), to check the set-up.")
    private boolean quick;

    @Parameters(index = "0", paramLabel = "SUITE", description = "spark")
    private String suite;

    /** Created by {@link java.util.ServiceLoader}. */
    public SparkBenchCommand() {
    }

    /**
     * Runs the suite and prints its figures (as JSON with {@code --json}).
     *
     * @return 0
     * @throws UsageException for a suite other than {@code spark}
     * @throws Exception when the benchmark fails
     */
    @Override
    public Integer call() throws Exception {
        if (!suite.equals("spark")) {
            throw new UsageException("on the Spark module's class path only the spark suite runs: suite=" + suite
                + " (the others run through ./memshare bench " + suite + ")");
        }
        Map<String, Object> figures = new SparkBenchmark(report, quick).run();
        if (report.json()) {
            report.printJson(figures);
        }
        return 0;
    }
}

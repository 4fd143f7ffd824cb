package org.memshare.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.memshare.cli.ReportOptions;
import org.memshare.cli.UsageException;
import org.memshare.cli.Verb;
import org.memshare.cli.Version;
import org.memshare.segment.StoreKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code memshare bench SUITE [--json] [--quick] [--store posix|file]}: the benchmarks, with ratios against same-run
 * baselines. The command line finds this verb through {@link java.util.ServiceLoader}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Run a benchmark suite: figures as ratios against baselines measured in the same run.",
        "Suites: core (register throughput, view latency), apply (worker JVMs vs threads, call overhead,"
            + " memory), mi (mutual information per pair, ranking, paper scale), io (matrix files into shared memory)."})
public final class BenchCommand implements Verb {
    @Mixin
    private ReportOptions report;

    @Option(names = "--quick", description = "A shorter run: fewer repetitions, smaller sizes.")
    private boolean quick;

    @Option(names = "--store", paramLabel = "STORE", description = "Segment store to measure: posix or file"
        + " (default: this system's; the file store uses its directory on disk unless MEMSHARE_DIR says otherwise).")
    private String store;

    @Parameters(index = "0", paramLabel = "SUITE", completionCandidates = SuiteNames.class,
        description = "One of: ${COMPLETION-CANDIDATES}.")
    private String suiteName;

    /** Created by {@link java.util.ServiceLoader}. */
    public BenchCommand() {
    }

    private static List<Benchmark> suites() {
        return List.of(new CoreBenchmark(), new ApplyBenchmark(), new MiBenchmark(), new IoBenchmark());
    }

    /**
     * Runs the named suite and prints its figures (as JSON with {@code --json}).
     *
     * @return 0
     * @throws UsageException for an unknown suite
     * @throws Exception when the suite fails
     */
    @Override
    public Integer call() throws Exception {
        Benchmark suite = suites().stream().filter(s -> s.name().equals(suiteName)).findFirst()
            .orElseThrow(() -> new UsageException("unknown suite: " + suiteName + " (known: " + new SuiteNames() + ")"));
        if (store != null) {
            try {
                // Before any registry exists: every MemShare and worker of the run takes this store.
                System.setProperty(StoreKind.PROPERTY, StoreKind.parse(store).label());
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        Map<String, Object> figures = suite.run(quick, report);
        if (report.json()) {
            report.printJson(figures);
        }
        return 0;
    }

    /** The suite names, for the help text and shell completion. */
    static final class SuiteNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        SuiteNames() {
            for (Benchmark suite : suites()) {
                add(suite.name());
            }
        }
    }
}

package org.memshare.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.memshare.cli.Arguments;
import org.memshare.cli.Command;
import org.memshare.cli.Json;
import org.memshare.cli.UsageException;

/** {@code memshare bench SUITE [--json] [--quick]}: the benchmarks, with ratios against same-run baselines. */
public final class BenchCommand implements Command {

    /** Found by the command line through {@link java.util.ServiceLoader}. */
    public BenchCommand() {
    }

    private static List<Benchmark> suites() {
        return List.of(new CoreBenchmark(), new ApplyBenchmark(), new MiBenchmark());
    }

    @Override
    public String verb() {
        return "bench";
    }

    @Override
    public String summary() {
        StringBuilder names = new StringBuilder();
        for (Benchmark suite : suites()) {
            names.append(names.isEmpty() ? "" : "|").append(suite.name());
        }
        return "(" + names + ") [--json] [--quick]   run a benchmark suite";
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("json", "quick");
    }

    @Override
    public int run(Arguments args, PrintStream out, PrintStream err) throws Exception {
        if (args.positionals().size() != 1) {
            throw new UsageException("name one suite");
        }
        Map<String, Benchmark> byName = new LinkedHashMap<>();
        for (Benchmark suite : suites()) {
            byName.put(suite.name(), suite);
        }
        Benchmark suite = byName.get(args.positionals().getFirst());
        if (suite == null) {
            throw new UsageException("unknown suite: " + args.positionals().getFirst() + " (known: " + byName.keySet() + ")");
        }
        boolean json = args.flag("json");
        Map<String, Object> figures = suite.run(args.flag("quick"), json ? err : out);
        if (json) {
            out.println(Json.write(figures));
        }
        return 0;
    }
}

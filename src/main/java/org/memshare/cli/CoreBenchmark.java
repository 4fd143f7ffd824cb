package org.memshare.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code bench core}: register throughput and view latency. */
final class CoreBenchmark implements Benchmark {
    @Override
    public String name() {
        return "core";
    }

    @Override
    public String summary() {
        return "register throughput (800 MB) and retrieve-view latency";
    }

    @Override
    public Map<String, Object> run(boolean quick, PrintStream log) {
        return new LinkedHashMap<>();
    }
}

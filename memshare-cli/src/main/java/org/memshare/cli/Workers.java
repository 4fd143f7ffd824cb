package org.memshare.cli;

/**
 * How many worker JVMs {@code demo} and {@code select} start by default: one per core. While the
 * workers rank, the parent only waits for their answers, so it needs no core of its own; measured on
 * a 2-core machine, 2 workers finish the demo faster than 1 (see docs/CLI.md).
 */
final class Workers {
    private Workers() {
    }

    static int defaultCount() {
        return Runtime.getRuntime().availableProcessors();
    }
}

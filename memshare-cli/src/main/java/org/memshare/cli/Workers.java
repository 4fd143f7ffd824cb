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

    /** The {@code --workers} value, or the default when not given; a usage error when below 1. */
    static int count(Integer requested) {
        int count = requested == null ? defaultCount() : requested;
        if (count < 1) {
            throw new UsageException("--workers must be at least 1: workers=" + count);
        }
        return count;
    }
}

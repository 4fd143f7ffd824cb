package org.memshare.testing;

/**
 * How long tests wait for something that should happen promptly (a process ending after a signal, a
 * call returning after a timeout or an interrupt) before they fail. Generous on purpose: the tests run
 * on shared, loaded machines, where a JVM may not be scheduled for seconds; what such a wait proves is
 * that the event comes at all, instead of never (a blocked thread, a function that never returns).
 * Speed itself is measured by benchmarks, not by tests.
 */
public final class Patience {
    /** The longest wait for a prompt event, in milliseconds. */
    public static final long PROMPT_MILLIS = 20_000;

    private Patience() {
    }
}

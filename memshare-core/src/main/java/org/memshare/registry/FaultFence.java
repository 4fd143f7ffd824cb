package org.memshare.registry;

/**
 * Makes the JVM report a fault in a view's single-element access inside that accessor.
 *
 * <p>When another process truncates a segment file, an access beyond the new end raises SIGBUS,
 * which the JVM turns into {@link InternalError}. In JIT-compiled code that error is not thrown at the
 * faulting access: the load yields garbage and the error is thrown at the thread's next safepoint
 * poll, which for an accessor inlined into a caller's loop lies in the caller, outside any handler
 * the accessor has. A call to a method the JIT does not inline puts such a poll (the callee's
 * return) right after the access, inside the accessor's handler, which then reports the truncation
 * properly and never returns the garbage. This method is that call: its body never runs, it is only
 * large enough (more than the 325 bytes of bytecode the JIT inlines at most) to stay a real call.
 * Loops inside the views (sums, copies) need no fence: their own back-edge polls lie inside their
 * handlers.
 *
 * <p>Staying a call is HotSpot's inlining limit at work, not a promise: raised limits or another JIT
 * may inline this method, and then the error can escape to the caller. docs/SECURITY.md gives the
 * {@code -XX:CompileCommand} flags that keep it a call whatever the limits, and why the alternatives
 * (a size check per access, a native call per access) were not taken.
 */
final class FaultFence {
    /** Written only on a path that never runs; volatile so the JIT cannot drop the dead branch's effect. */
    private static volatile long sink;

    private FaultFence() {
    }

    /**
     * A real (not inlined) call that does nothing.
     *
     * @param token any value; the body below runs only for {@link Long#MIN_VALUE}, which no caller passes
     */
    static void poll(long token) {
        if (token == Long.MIN_VALUE) {
            sink = sink * 31 + token + 1;
            sink = sink * 31 + token + 2;
            sink = sink * 31 + token + 3;
            sink = sink * 31 + token + 4;
            sink = sink * 31 + token + 5;
            sink = sink * 31 + token + 6;
            sink = sink * 31 + token + 7;
            sink = sink * 31 + token + 8;
            sink = sink * 31 + token + 9;
            sink = sink * 31 + token + 10;
            sink = sink * 31 + token + 11;
            sink = sink * 31 + token + 12;
            sink = sink * 31 + token + 13;
            sink = sink * 31 + token + 14;
            sink = sink * 31 + token + 15;
            sink = sink * 31 + token + 16;
            sink = sink * 31 + token + 17;
            sink = sink * 31 + token + 18;
            sink = sink * 31 + token + 19;
            sink = sink * 31 + token + 20;
            sink = sink * 31 + token + 21;
            sink = sink * 31 + token + 22;
            sink = sink * 31 + token + 23;
            sink = sink * 31 + token + 24;
            sink = sink * 31 + token + 25;
            sink = sink * 31 + token + 26;
            sink = sink * 31 + token + 27;
            sink = sink * 31 + token + 28;
            sink = sink * 31 + token + 29;
            sink = sink * 31 + token + 30;
        }
    }
}

package org.memshare.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.memshare.apply.Apply;
import org.memshare.apply.CallVariables;
import org.memshare.apply.ProgressListener;
import org.memshare.format.Kind;

/**
 * What {@link SparkMemApply} and {@link SparkMemLapply} share: the variables, the number of tasks,
 * the progress listener, and running the job: the items are cut into index ranges, one task each;
 * results come back in order.
 *
 * @param <B> the concrete builder, for chaining
 */
public abstract sealed class SparkApplyBuilder<B extends SparkApplyBuilder<B>> permits SparkMemApply, SparkMemLapply {
    private static final AtomicLong CALLS = new AtomicLong();

    private final SparkShare share;
    private final Object x;
    private final boolean ownsShare;
    private final CallVariables vars = new CallVariables();
    private ProgressListener progress = (done, total) -> { };
    private int tasks;

    SparkApplyBuilder(SparkShare share, Object x, boolean ownsShare) {
        this.share = Objects.requireNonNull(share, "share");
        this.x = Objects.requireNonNull(x, "X must not be null: give a source, data or the name of a variable of the share");
        this.ownsShare = ownsShare;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * Adds a variable the function reads through {@link org.memshare.apply.Vars}.
     *
     * @param name the name the function uses
     * @param value a {@code String}: a variable of the share; a {@link SparkSource}; or data (broadcast
     *     once and loaded once per host)
     * @return this builder
     * @throws IllegalArgumentException for an empty name or a name given twice
     */
    public B var(String name, Object value) {
        vars.put(name, value);
        return self();
    }

    /**
     * Adds variables of the share under their own names.
     *
     * @param names variables of the share, seen by the function under their own names
     * @return this builder
     */
    public B vars(String... names) {
        vars.putNames(names);
        return self();
    }

    /**
     * Adds several variables.
     *
     * @param variables name → value, each added as by {@link #var(String, Object)}
     * @return this builder
     */
    public B vars(Map<String, ?> variables) {
        vars.putAll(variables);
        return self();
    }

    /**
     * Reports progress.
     *
     * @param listener told the items done so far, as tasks finish (on Spark's listener thread)
     * @return this builder
     */
    public B progress(ProgressListener listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return self();
    }

    /**
     * Sets how finely the items are cut.
     *
     * @param tasks how many index ranges (Spark tasks) to cut the items into; default four per core of
     *     the application, at most one per item
     * @return this builder
     * @throws IllegalArgumentException when {@code tasks < 1}
     */
    public B tasks(int tasks) {
        if (tasks < 1) {
            throw new IllegalArgumentException("tasks must be at least 1: tasks=" + tasks);
        }
        this.tasks = tasks;
        return self();
    }

    /** Checks, runs the job, collects the results in order; closes a one-call share even on failure. */
    @SuppressWarnings("unchecked")
    final <R> List<R> execute(Object function, RangeTask.Slicing target) {
        try {
            Objects.requireNonNull(function, "function must not be null");
            Apply.serializeFunction(function); // fails here, naming the culprit, before any task
            Kind expected = target == RangeTask.Slicing.ELEMENTS ? Kind.LIST : Kind.MATRIX;
            SharedRef xs = share.resolve("X", x, expected);
            Map<String, SharedRef> refs = new LinkedHashMap<>();
            for (Map.Entry<String, Object> entry : vars.asMap().entrySet()) {
                refs.put(entry.getKey(), share.resolve("var " + entry.getKey(), entry.getValue(), null));
            }
            long total = target == RangeTask.Slicing.COLUMNS ? xs.ncol() : xs.nrow();
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("too many items for one result list: total=" + total);
            }
            if (total == 0) {
                return List.of();
            }
            SparkContext sc = share.sparkContext();
            int count = (int) Math.min(total, tasks > 0 ? tasks : Math.max(1, 4L * sc.defaultParallelism()));
            List<long[]> ranges = new ArrayList<>(count);
            long[] sizes = new long[count];
            for (int t = 0; t < count; t++) {
                long from = total * t / count;
                long to = total * (t + 1) / count;
                ranges.add(new long[] {from, to});
                sizes[t] = to - from;
            }
            String callId = share.namespace() + "/" + CALLS.incrementAndGet();
            CallProgress listener = new CallProgress(callId, sizes, total, progress);
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
            sc.addSparkListener(listener);
            String before = sc.getLocalProperty(CallProgress.CALL_PROPERTY);
            sc.setLocalProperty(CallProgress.CALL_PROPERTY, callId);
            List<RangeTask.RangeResult> results;
            try {
                results = jsc.parallelize(ranges, count)
                    .map(new RangeTask(share.namespace(), target, xs, refs, function))
                    .collect();
                listener.complete();
            } catch (Exception e) { // Spark throws its checked SparkException undeclared
                throw translate(e);
            } finally {
                sc.setLocalProperty(CallProgress.CALL_PROPERTY, before);
                sc.removeSparkListener(listener);
            }
            List<Object> values = new ArrayList<>((int) total);
            List<String> hosts = new ArrayList<>();
            for (RangeTask.RangeResult result : results) {
                values.addAll(result.values());
                hosts.add(result.host());
            }
            share.addHosts(hosts);
            return (List<R>) Collections.unmodifiableList(values);
        } finally {
            if (ownsShare) {
                share.close();
            }
        }
    }

    /**
     * A failed job's message ends with the executor's exception ({@code most recent failure: Lost task …
     * (host executor N): Exception: reason}, then a stack dump): keep that line.
     */
    private static RuntimeException translate(Exception e) {
        String message = String.valueOf(e.getMessage());
        String marker = "most recent failure: ";
        int recent = message.indexOf(marker);
        String reason = recent >= 0 ? message.substring(recent + marker.length()) : message;
        int end = reason.indexOf('\n');
        return new SparkApplyException("spark job failed: " + (end >= 0 ? reason.substring(0, end) : reason).strip(), e);
    }
}

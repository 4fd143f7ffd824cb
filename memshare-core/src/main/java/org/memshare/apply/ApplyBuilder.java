package org.memshare.apply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.memshare.format.Kind;
import org.memshare.registry.MemShare;
import org.memshare.registry.Metadata;
import org.memshare.registry.Variable;

/**
 * What {@link MemApply} and {@link MemLapply} share: the namespace, the variables, the cluster, the
 * core limit and the progress listener, and the rules for data given in place of names: data is
 * registered for the call under a private name and released after it, even when it fails.
 *
 * @param <B> the concrete builder, for chaining
 */
public abstract sealed class ApplyBuilder<B extends ApplyBuilder<B>> permits MemApply, MemLapply {
    /** The namespace used when none is given, as in R memshare. */
    public static final String DEFAULT_NAMESPACE = "memshare";

    private static final AtomicLong CALLS = new AtomicLong();

    private final Object x;
    private String namespace = DEFAULT_NAMESPACE;
    private final CallVariables vars = new CallVariables();
    private Cluster cluster;
    private int maxCores = Integer.MAX_VALUE;
    private ProgressListener progress = (done, total) -> { };
    private Duration timeout;

    ApplyBuilder(Object x) {
        this.x = Objects.requireNonNull(x, "X must not be null: give data or the name of a registered variable");
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * Sets the namespace of every name given to the call (X and the variables) and of the data
     * registered for it.
     *
     * @param namespace the namespace (default {@value #DEFAULT_NAMESPACE})
     * @return this builder
     * @throws NullPointerException when {@code namespace} is null
     */
    public B namespace(String namespace) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        return self();
    }

    /**
     * Adds a variable the function reads through {@link Vars}.
     *
     * @param name the name the function uses
     * @param value a {@code String}: the name of a registered variable; anything else: data
     *              ({@link Variable} or plain arrays), registered for the call and released after
     * @return this builder
     * @throws IllegalArgumentException for an empty name or a name given twice
     */
    public B var(String name, Object value) {
        vars.put(name, value);
        return self();
    }

    /**
     * Adds registered variables the function reads through {@link Vars} under their own names: the
     * same as {@code var(name, name)} for each.
     *
     * @param registeredNames names of variables registered in the call's namespace
     * @return this builder
     * @throws IllegalArgumentException for an empty name or a name given twice
     */
    public B vars(String... registeredNames) {
        vars.putNames(registeredNames);
        return self();
    }

    /**
     * Adds variables the function reads through {@link Vars}, each entry as by
     * {@link #var(String, Object)}, in the map's iteration order.
     *
     * @param variables name the function uses → a registered variable's name ({@code String}) or data
     * @return this builder
     * @throws IllegalArgumentException for an empty name or a name given twice
     */
    public B vars(Map<String, ?> variables) {
        vars.putAll(variables);
        return self();
    }

    /**
     * Sets the cluster that runs the function. The caller keeps owning it: the call does not close it.
     *
     * @param cluster the cluster (default: a thread cluster of {@link Cluster#defaultSize()} threads,
     *                made for the call and closed after it)
     * @return this builder
     * @throws NullPointerException when {@code cluster} is null
     */
    public B cluster(Cluster cluster) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        return self();
    }

    /**
     * Limits how many of the cluster's workers the call uses (R's {@code MAX.CORES}).
     *
     * @param maxCores most workers of the cluster to use, at least 1 (default: all of them)
     * @return this builder
     * @throws IllegalArgumentException when {@code maxCores < 1}
     */
    public B maxCores(int maxCores) {
        if (maxCores < 1) {
            throw new IllegalArgumentException("maxCores must be at least 1: maxCores=" + maxCores);
        }
        this.maxCores = maxCores;
        return self();
    }

    /**
     * Sets the listener told how far the call has come, in the calling thread.
     *
     * @param listener the listener (default: none)
     * @return this builder
     * @throws NullPointerException when {@code listener} is null
     */
    public B progress(ProgressListener listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return self();
    }

    /**
     * Limits how long the computation may take. On expiry the call fails with an {@link ApplyException}
     * ({@code call timed out: timeout=PT1S, done=…, total=…}) and data given for the call is released.
     * A process cluster kills the workers still computing this call and replaces them; a thread
     * cluster cannot kill its threads, so it abandons them (they stop at their next chunk, or never if
     * the function never returns) and continues with new threads. The time counts from when the
     * cluster starts computing: waiting for an earlier call on the same cluster or for worker JVMs to
     * start is not included.
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException when {@code timeout} is zero or negative
     */
    public B timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive: timeout=" + timeout);
        }
        this.timeout = timeout;
        return self();
    }

    /** Prepares, runs and cleans up one call. */
    @SuppressWarnings("unchecked")
    final <R> List<R> execute(Object function, JobSpec.Target target) {
        Objects.requireNonNull(function, "function must not be null");
        byte[] functionBytes = serializeFunction(function);
        Cluster effective = cluster != null ? cluster : Cluster.threads(Cluster.defaultSize());
        try {
            if (effective.isClosed()) {
                throw new IllegalStateException("cluster is closed: cluster=" + effective);
            }
            MemShare registry = effective.registry();
            String prefix = "apply-" + ProcessHandle.current().pid() + "-" + CALLS.incrementAndGet() + "-";
            List<String> registered = new ArrayList<>();
            try {
                Kind expected = target == JobSpec.Target.ELEMENTS ? Kind.LIST : Kind.MATRIX;
                Resolved resolvedX = resolve(registry, "X", x, prefix + "x", expected, registered);
                String variable = resolvedX.name();
                List<JobSpec.VarRef> refs = new ArrayList<>();
                int k = 0;
                for (Map.Entry<String, Object> entry : vars.asMap().entrySet()) {
                    String name = resolve(registry, "var " + entry.getKey(), entry.getValue(), prefix + "v" + k++, null,
                        registered).name();
                    refs.add(new JobSpec.VarRef(entry.getKey(), name));
                }
                // Each header read maps and releases the variable: read X's once per call.
                Metadata metadata = resolvedX.metadata() != null ? resolvedX.metadata() : registry.metadata(namespace, variable);
                long total = switch (target) {
                    case ROWS -> metadata.nrow();
                    case COLUMNS -> metadata.ncol();
                    case ELEMENTS -> metadata.nrow();
                };
                if (total > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException("too many items for one result list: total=" + total);
                }
                Call call = new Call(new JobSpec(namespace, target, variable, refs), function, functionBytes, total,
                    Math.min(maxCores, effective.size()), progress, timeout);
                List<Object> results = switch (effective) {
                    case ThreadCluster threads -> threads.run(call);
                    case ProcessCluster processes -> processes.run(call);
                };
                return (List<R>) Collections.unmodifiableList(results);
            } finally {
                if (!registered.isEmpty()) {
                    registry.releaseVariables(namespace, registered.toArray(String[]::new));
                }
            }
        } finally {
            if (cluster == null) {
                effective.close();
            }
        }
    }

    /** A registered name, and its metadata when it was read to check the name (null for data registered for the call). */
    private record Resolved(String name, Metadata metadata) {
    }

    /**
     * A name is checked to be registered (before any worker runs); data is registered under
     * {@code privateName}. Either way the registered name is returned.
     */
    private Resolved resolve(MemShare registry, String what, Object value, String privateName, Kind expected,
                             List<String> registered) {
        if (value instanceof String name) {
            Metadata metadata = registry.metadata(namespace, name);
            checkKind(what, metadata.kind(), expected, namespace + "." + name);
            return new Resolved(name, metadata);
        }
        Variable variable;
        try {
            variable = Variable.of(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is neither data nor the name of a registered variable: "
                + e.getMessage(), e);
        }
        checkKind(what, variable.kind(), expected, "data");
        registry.register(namespace, privateName, variable);
        registered.add(privateName);
        return new Resolved(privateName, null);
    }

    private static void checkKind(String what, Kind actual, Kind expected, String variable) {
        if (expected != null && actual != expected) {
            throw new IllegalArgumentException(what + " must be a " + expected.label() + ": kind=" + actual.label()
                + ", variable=" + variable);
        }
    }

    /** A function whose state cannot change and its bytes, reused while callers pass the same object. */
    private record Serialized(Object function, byte[] bytes) {
    }

    private static volatile Serialized lastSerialized;

    /**
     * Serializes the function once per call ({@link Apply#serializeFunction}, so a problem shows here,
     * in the caller, naming the culprit); the same immutable function object (a non-capturing lambda
     * is one object) is serialized once for all its calls.
     */
    private static byte[] serializeFunction(Object function) {
        Serialized last = lastSerialized;
        if (last != null && last.function() == function) {
            return last.bytes();
        }
        byte[] bytes = Apply.serializeFunction(function);
        if (ImmutableFunctions.immutable(function)) {
            lastSerialized = new Serialized(function, bytes);
        }
        return bytes;
    }
}

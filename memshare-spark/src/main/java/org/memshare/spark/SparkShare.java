package org.memshare.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.memshare.format.ElementType;
import org.memshare.format.Kind;
import org.memshare.io.MatrixFile;
import org.memshare.registry.QualifiedName;
import org.memshare.registry.UnknownVariableException;

/**
 * Variables shared on every host of a Spark application, under one namespace: each host loads a
 * variable once into shared memory when a task there first needs it, and every executor on the host
 * maps that one copy. Calls on the share reuse the hosts' copies.
 *
 * <p>Lifecycle. {@link #release(String...)} and {@link #close()} unlink the copies on every host that
 * holds one (a release task per host). When an executor is lost, the driver sweeps the orphans of dead
 * executors on those hosts at once. When the application ends instead, each executor's exit unlinks
 * the copies it loaded, and orphans of executors that died (killed, lost) are unlinked by the first
 * executor of the host that exits or starts using memshare later; {@code memshare gc} on the host
 * reclaims them too.
 *
 * {@snippet :
 * try (SparkShare share = SparkShare.open(sc)) {
 *     share.register("X", SparkSource.file("/data/features.msm"))
 *          .register("y", SparkSource.data(y));
 *     List<Double> sds = share.memApply("X").columns().run((column, vars) -> sd(column));
 *     List<Double> dots = share.memApply("X").columns().vars("y")
 *         .run((column, vars) -> dot(column, vars.vector("y")));
 * }   // released on every host
 * }
 */
public final class SparkShare implements AutoCloseable {
    private static final AtomicLong SHARES = new AtomicLong();

    private final SparkContext sc;
    private final OrphanSweeper sweeper;
    private final String namespace;
    private final Map<String, SharedRef> variables = new LinkedHashMap<>();
    private final Map<SparkSource, String> bySource = new LinkedHashMap<>();
    private final List<Broadcast<PackedVariable>> broadcasts = new ArrayList<>();
    private final Set<String> hosts = Collections.synchronizedSet(new LinkedHashSet<>());
    private int privateNames;
    private boolean inRLayout;
    private boolean closed;

    private SparkShare(SparkContext sc, String namespace) {
        this.sc = sc;
        this.namespace = namespace;
        this.sweeper = OrphanSweeper.of(sc);
    }

    /**
     * Opens a share on the application.
     *
     * @param sc the running application
     * @return a new, empty share with its own namespace
     */
    public static SparkShare open(SparkContext sc) {
        String app = sc.applicationId().replaceAll("[^A-Za-z0-9_-]", "_");
        String suffix = "-" + SHARES.incrementAndGet();
        String prefix = HostCopies.NAMESPACE_PREFIX + app;
        // Room for the R companion's suffix too (see rNamespace()).
        int room = QualifiedName.MAX_NAMESPACE_LENGTH - suffix.length() - HostCopies.R_SUFFIX.length();
        return new SparkShare(sc, (prefix.length() > room ? prefix.substring(0, room) : prefix) + suffix);
    }

    /**
     * The share's namespace on every host, by which other processes there attach its variables.
     *
     * @return {@code spark-APPID-N}
     */
    public String namespace() {
        return namespace;
    }

    /**
     * Publishes the variables registered from now on also in R memshare's layout on every host, where
     * R memshare's {@code retrieveViews(rNamespace, names)} views them without copying. Each host then
     * holds two copies of such a variable: memshare's, which the executors and Python use, and R's,
     * copied from it on the host (by the first task there that needs the variable). R's copies are
     * released with the variables, on every host; see docs/SPARK.md for what happens when executors die.
     *
     * {@snippet :
     * try (SparkShare share = SparkShare.open(sc).publishInRLayout()) {
     *     share.register("X", SparkSource.file("/data/x.msm"));
     *     share.memApply("X").columns().run((column, vars) -> column.sum());
     *     // in R on a host: memshare::retrieveViews(share.rNamespace(), "X")
     * }
     * }
     *
     * @return this share
     * @throws IllegalStateException when the share is closed
     */
    public synchronized SparkShare publishInRLayout() {
        checkOpen();
        inRLayout = true;
        return this;
    }

    /**
     * The namespace of the variables' copies in R memshare's layout ({@link #publishInRLayout()}):  a
     * process registers a name once, whatever the layout, so R's copies live beside memshare's under
     * their own namespace, with the same variable names.
     *
     * @return {@code spark-APPID-N-r}
     */
    public String rNamespace() {
        return HostCopies.rNamespace(namespace);
    }

    /**
     * The application the share lives in.
     *
     * @return its context
     */
    public SparkContext sparkContext() {
        return sc;
    }

    /**
     * Adds a variable. Nothing is loaded yet: each host loads it when a task there first needs it.
     *
     * @param name the variable's name on the hosts and in {@code vars}
     * @param source a {@link SparkSource}, or data for {@link SparkSource#data(Object)}
     * @return this share
     * @throws IllegalArgumentException for a name given twice, an invalid name, a file the driver cannot
     *     read, or data memshare cannot hold
     * @throws IllegalStateException when the share is closed
     */
    public synchronized SparkShare register(String name, Object source) {
        checkOpen();
        new QualifiedName(namespace, name);
        if (variables.containsKey(name)) {
            throw new IllegalArgumentException("variable already in this share: variable=" + name + ", namespace=" + namespace);
        }
        SparkSource spark = source instanceof SparkSource s ? s : SparkSource.data(source);
        variables.put(name, refOf(name, spark));
        bySource.put(spark, name);
        return this;
    }

    /**
     * The variables of the share.
     *
     * @return their names, in registration order
     */
    public synchronized Set<String> names() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(variables.keySet()));
    }

    /**
     * The hosts where tasks of the share ran, so hold (or held) copies.
     *
     * @return their names as Spark knows them
     */
    public Set<String> hosts() {
        synchronized (hosts) {
            return Set.copyOf(hosts);
        }
    }

    /**
     * A {@code memApply} call on the share's hosts.
     *
     * @param x a variable name of this share, a {@link SparkSource}, or matrix data
     * @return a call to configure and run
     * @throws IllegalStateException when the share is closed
     */
    public synchronized SparkMemApply memApply(Object x) {
        checkOpen();
        return new SparkMemApply(this, x, false);
    }

    /**
     * A {@code memLapply} call on the share's hosts.
     *
     * @param x a variable name of this share, a {@link SparkSource} of a list, or list data
     * @return a call to configure and run
     * @throws IllegalStateException when the share is closed
     */
    public synchronized SparkMemLapply memLapply(Object x) {
        checkOpen();
        return new SparkMemLapply(this, x, false);
    }

    /**
     * Unlinks the hosts' copies of these variables (a release task on every host that holds one);
     * executors drop their views at their next task.
     *
     * @param names variables of this share
     * @throws UnknownVariableException for a name that is not in the share
     */
    public synchronized void release(String... names) {
        checkOpen();
        for (String name : names) {
            lookUp(name);
        }
        releaseOnHosts(Set.of(names));
        for (String name : names) {
            variables.remove(name);
            bySource.values().remove(name);
        }
    }

    /** Releases every variable on every host; the share cannot be used afterwards. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!sc.isStopped()) {
                releaseOnHosts(Set.of());
            }
        } finally {
            for (Broadcast<PackedVariable> broadcast : broadcasts) {
                if (!sc.isStopped()) {
                    broadcast.destroy();
                }
            }
            broadcasts.clear();
            variables.clear();
            bySource.clear();
        }
    }

    /** The variable for a name of this share, or a source given in place (added under a private name). */
    synchronized SharedRef resolve(String what, Object value, Kind expected) {
        checkOpen();
        SharedRef ref;
        if (value instanceof String name) {
            ref = lookUp(name);
        } else {
            SparkSource source;
            try {
                source = value instanceof SparkSource s ? s : SparkSource.data(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + " is neither a source, data nor the name of a variable of the share: "
                    + e.getMessage(), e);
            }
            String existing = bySource.get(source);
            if (existing != null) {
                ref = variables.get(existing);
            } else {
                String name = "call" + ++privateNames;
                register(name, source);
                ref = variables.get(name);
            }
        }
        if (expected != null && ref.kind() != expected) {
            throw new IllegalArgumentException(what + " must be a " + expected.label() + ": kind=" + ref.kind().label()
                + ", variable=" + namespace + "." + ref.variable());
        }
        return ref;
    }

    private SharedRef lookUp(String name) {
        SharedRef ref = variables.get(name);
        if (ref == null) {
            throw new UnknownVariableException("no such variable in this share: variable=" + name + ", namespace="
                + namespace + ", names=" + variables.keySet());
        }
        return ref;
    }

    private SharedRef refOf(String name, SparkSource source) {
        return switch (source) {
            case SparkSource.MatrixFileSource file -> {
                Path local = file.localPath();
                if (!Files.isReadable(local)) {
                    throw new IllegalArgumentException("source cannot be read on the driver: path=" + local
                        + " (a file source must be readable on the driver and on every host)");
                }
                MatrixFile probe = MatrixFile.open(local, file.readOptions());
                int[] columns = file.columns();
                long ncol = columns == null ? probe.ncol() : columns.length;
                if (columns != null) {
                    for (int column : columns) {
                        if (column < 0 || column >= probe.ncol()) {
                            throw new IllegalArgumentException("column out of range: column=" + column + ", columns="
                                + probe.ncol() + ", path=" + local);
                        }
                    }
                }
                yield new SharedRef(name, new HostLoad.FromFile(file, probe.nrow(), ncol), Kind.MATRIX, probe.nrow(), ncol,
                    inRLayout);
            }
            case SparkSource.DriverData data -> {
                if (inRLayout && data.variable().elementType() != ElementType.DOUBLE) {
                    throw new IllegalArgumentException("R memshare's layout holds double vectors and matrices only:"
                        + " variable=" + name + ", namespace=" + namespace + ", kind=" + data.variable().kind().label()
                        + (data.variable().elementType() == null ? "" : ", type=" + data.variable().elementType().label()));
                }
                Broadcast<PackedVariable> broadcast = JavaSparkContext.fromSparkContext(sc).broadcast(data.variable());
                broadcasts.add(broadcast);
                yield new SharedRef(name, new HostLoad.FromDriver(broadcast), data.variable().kind(),
                    data.variable().nrow(), data.variable().ncol(), inRLayout);
            }
        };
    }

    void addHosts(List<String> more) {
        hosts.addAll(more);
        sweeper.addHosts(more);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("share is closed: namespace=" + namespace);
        }
    }

    /** One release task per host that holds a copy (see {@link OnEachHost}). */
    private void releaseOnHosts(Set<String> names) {
        String ns = namespace;
        Set<String> missed = OnEachHost.run(sc, hosts(), copies -> copies.release(ns, names));
        if (!missed.isEmpty()) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                "release did not reach every host: namespace=%s, missed=%s (their copies go when their executors exit)",
                namespace, missed));
        }
        if (names.isEmpty()) {
            hosts.clear();
        }
    }
}

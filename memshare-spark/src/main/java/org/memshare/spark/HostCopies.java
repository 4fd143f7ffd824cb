package org.memshare.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.spark.SparkEnv;
import org.memshare.format.Kind;
import org.memshare.format.Shape;
import org.memshare.registry.AlreadyRegisteredException;
import org.memshare.registry.ListView;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.registry.Metadata;
import org.memshare.registry.QualifiedName;
import org.memshare.registry.SegmentCensus;
import org.memshare.registry.StorageLayout;
import org.memshare.registry.VectorView;
import org.memshare.registry.View;

/**
 * The executor side: this JVM's views of the host's copies, each mapped once per JVM and kept across
 * tasks and calls, and the one rule for loading a host's copy.
 *
 * <p>Loading. The first task on a host that needs a variable takes the host's lock file
 * ({@value #LOCK_FILE} in the segment directory, one per host, removed by the last exiting executor
 * when no copy is left), looks again, and loads the variable when it is missing or when its owner is
 * dead (the loading executor was killed: its copy is an orphan, unlinked and loaded anew). Tasks on
 * other executors wait on the lock, then map the copy.
 * The loader owns the copy: memshare's exit hook unlinks it when that executor ends.
 *
 * <p>Staleness. Before each use, a view is checked to still map the file registered under its name
 * ({@link View#isCurrent()}): a copy released or reloaded meanwhile is dropped here and mapped again,
 * so a host keeps one copy.
 *
 * <p>R's layout. A share may also publish its variables in R memshare's layout
 * ({@link SparkShare#publishInRLayout()}): under the host's lock, the executor that finds the R copy
 * missing copies the host's copy into it (namespace {@link #rNamespace(String)}). R's layout records no
 * owner, so an R copy counts as an orphan when the copy it was made from is gone or an orphan; R copies
 * are always unlinked before their source, so that rule never removes a live one.
 *
 * <p>Cleaning up. When this JVM exits (the application ends, or the executor is removed), and when it
 * first uses memshare, orphans of this module's namespaces (owners dead) are unlinked, so copies of
 * killed executors do not outlive the application on hosts where any executor exits normally.
 */
final class HostCopies {
    /** The host-wide lock file, next to the segments. */
    static final String LOCK_FILE = "memshare-spark.lock";

    /** Every namespace of this module starts with this (see {@link SparkShare#namespace()}). */
    static final String NAMESPACE_PREFIX = "spark-";

    /** A share's copies in R memshare's layout live in its namespace with this appended. */
    static final String R_SUFFIX = "-r";

    /** One per segment directory (a JVM normally has one; tests in one JVM may change it). */
    private static final Map<Path, HostCopies> INSTANCES = new HashMap<>();

    private final MemShare registry;
    private final SegmentCensus census;
    private final Map<QualifiedName, View> attached = new HashMap<>();

    private HostCopies(MemShare registry) {
        this.registry = registry;
        this.census = registry.census();
    }

    /**
     * @return this JVM's instance for the segment directory in force; the first call sweeps orphans
     *     and installs the exit sweep
     */
    static synchronized HostCopies get() {
        MemShare registry = MemShare.system();
        return INSTANCES.computeIfAbsent(registry.directory(), directory -> {
            HostCopies copies = new HostCopies(registry);
            copies.sweepOrphans(HostCopies::ofThisModule);
            Runtime.getRuntime().addShutdownHook(new Thread(copies::atExit, "memshare-spark-exit"));
            return copies;
        });
    }

    /** @return whether the variable belongs to a namespace of this module (a share's, or its R companion) */
    static boolean ofThisModule(QualifiedName name) {
        return name.namespace().startsWith(NAMESPACE_PREFIX);
    }

    /**
     * @param namespace a share's namespace
     * @return the namespace of its copies in R memshare's layout
     */
    static String rNamespace(String namespace) {
        return namespace + R_SUFFIX;
    }

    /** @return the host name Spark knows this executor by (the driver's, outside an executor) */
    static String host() {
        SparkEnv env = SparkEnv.get();
        return env == null ? "unknown" : env.blockManager().blockManagerId().host();
    }

    /**
     * @param inRLayout whether the host also publishes the variable in R memshare's layout (under
     *     {@link #rNamespace(String)}), made from the host's copy by whichever executor finds it missing
     * @return this JVM's view of the host's copy of {@code namespace.name}, loading the copy first if
     *     the host has none (or only a dead loader's)
     */
    @SuppressWarnings("try") // the lock is held for the block, not referenced in it
    synchronized View attach(String namespace, String name, HostLoad load, boolean inRLayout) {
        QualifiedName qualified = new QualifiedName(namespace, name);
        View held = attached.get(qualified);
        if (held != null && held.isCurrent() && (!inRLayout || rCopyPresent(qualified))) {
            return held;
        }
        if (held != null) {
            attached.remove(qualified);
            held.close();
        }
        try (HostLock lock = HostLock.acquire(registry.directory())) {
            awaitCopy(qualified, load);
            View view = registry.retrieveView(namespace, name);
            attached.put(qualified, view);
            if (inRLayout && !rCopyPresent(qualified)) {
                publishInRLayout(qualified, view);
            }
            return view;
        }
    }

    private boolean rCopyPresent(QualifiedName name) {
        return registry.exists(rNamespace(name.namespace()), name.variable(), StorageLayout.R_MEMSHARE);
    }

    /** Copies the host's copy into R memshare's layout; this executor owns the R copy's page. */
    private void publishInRLayout(QualifiedName name, View view) {
        Metadata metadata = view.metadata();
        Shape shape = metadata.kind() == Kind.MATRIX
            ? Shape.matrix(metadata.elementType(), metadata.nrow(), metadata.ncol())
            : Shape.vector(metadata.elementType(), metadata.length());
        MemorySegment source = switch (view) {
            case MatrixView matrix -> matrix.segment();
            case VectorView vector -> vector.segment();
            case ListView list -> throw new IllegalArgumentException(
                "R memshare's layout holds no list: variable=" + name + ", host=" + host());
        };
        String rNamespace = rNamespace(name.namespace());
        if (isPage(new QualifiedName(rNamespace, name.variable()))) {
            // This JVM made the R copy once, and another process removed it since (a release, a sweep):
            // drop the page first (it unlinks only files it made).
            registry.releaseVariables(rNamespace, name.variable());
        }
        try {
            registry.register(rNamespace, name.variable(), shape, data -> data.copyFrom(source), StorageLayout.R_MEMSHARE);
        } catch (AlreadyRegisteredException e) {
            // Under the host's lock no live executor is making it: one object of a copy whose maker was
            // killed half-way (R's layout records no owner, so nothing can tell that it is stale).
            throw new IllegalStateException("a partial copy in R's layout is in the way: variable=" + rNamespace + "."
                + name.variable() + ", directory=" + registry.directory() + ", host=" + host()
                + " (remove its objects " + rNamespace + "." + name.variable() + " and " + rNamespace + ".md."
                + name.variable() + ")", e);
        }
    }

    /**
     * Makes sure the host has a ready copy: loads it when absent (reclaiming a dead loader's first,
     * with its R companion), waits while a live executor loads it. Creation is exclusive, so two
     * loaders cannot both succeed.
     */
    private void awaitCopy(QualifiedName name, HostLoad load) {
        while (true) {
            Optional<SegmentCensus.Entry> copy = census.entry(name, StorageLayout.MEMSHARE);
            if (copy.isEmpty()) {
                try {
                    load.load(registry, name.namespace(), name.variable());
                    return;
                } catch (AlreadyRegisteredException e) {
                    if (census.entry(name, StorageLayout.MEMSHARE).isEmpty()) {
                        throw new IllegalStateException("the name of the host's copy is taken by a file that is not a"
                            + " memshare segment: variable=" + name + ", directory=" + registry.directory()
                            + ", host=" + host(), e);
                    }
                    // another executor of the host won the exclusive creation: wait for its copy
                }
                continue;
            }
            SegmentCensus.Entry entry = copy.get();
            if (entry.isRefused()) {
                throw new IllegalStateException("the host's copy is not this user's segment: variable=" + name
                    + ", state=" + entry.state().label() + ", reason=" + entry.reason() + ", host=" + host());
            }
            if (entry.isOrphan()) {
                removeRCopy(name); // made from the dead loader's copy: stale with it
                census.reclaim(entry);
            } else if (entry.state() == SegmentCensus.State.READY) {
                return;
            } else if (entry.state() == SegmentCensus.State.PENDING || entry.state() == SegmentCensus.State.INCOMPLETE) {
                // Incomplete and not yet an orphan: created a moment ago, its loader writes the header now.
                sleepBriefly(name);
            } else {
                throw new IllegalStateException("the host's copy is invalid and its loader runs: variable=" + name
                    + ", owner=" + entry.owner() + ", host=" + host());
            }
        }
    }

    private void removeRCopy(QualifiedName name) {
        QualifiedName r = new QualifiedName(rNamespace(name.namespace()), name.variable());
        if (isPage(r)) {
            registry.releaseVariables(r.namespace(), r.variable());
        } else {
            census.entry(r, StorageLayout.R_MEMSHARE).filter(e -> !e.isRefused()).ifPresent(census::remove);
        }
    }

    private static void sleepBriefly(QualifiedName name) {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while another executor loads the host's copy: variable=" + name, e);
        }
    }

    /**
     * Releases variables of a namespace on this host, with their copies in R's layout: drops this
     * JVM's views, and unlinks the host's copies (as pages when this JVM registered them), the R
     * copies first. Other executors drop their views at their next use.
     *
     * @param names the variables, or empty for the whole namespace
     * @return how many copies were unlinked
     */
    @SuppressWarnings("try")
    synchronized int release(String namespace, Set<String> names) {
        Predicate<QualifiedName> chosen = q -> (q.namespace().equals(namespace) || q.namespace().equals(rNamespace(namespace)))
            && (names.isEmpty() || names.contains(q.variable()));
        for (Iterator<Map.Entry<QualifiedName, View>> it = attached.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<QualifiedName, View> entry = it.next();
            if (chosen.test(entry.getKey())) {
                entry.getValue().close();
                it.remove();
            }
        }
        int unlinked = 0;
        try (HostLock lock = HostLock.acquire(registry.directory())) {
            for (SegmentCensus.Entry copy : rCopiesFirst(census.list())) {
                if (chosen.test(copy.name()) && !copy.isRefused() && unlink(copy)) {
                    unlinked++;
                }
            }
        }
        return unlinked;
    }

    /** @return whether this JVM registered the variable and has not released it (a page of its registry) */
    private boolean isPage(QualifiedName name) {
        return registry.pageList().contains(name.toString());
    }

    /**
     * Unlinks a copy: as a page when this JVM registered it (so the registry forgets it too), else
     * through the census.
     *
     * @return whether it was unlinked
     */
    private boolean unlink(SegmentCensus.Entry copy) {
        if (isPage(copy.name())) {
            registry.releaseVariables(copy.name().namespace(), copy.name().variable());
            return true;
        }
        return census.remove(copy);
    }

    /** R's copies before the copies they were made from: an R copy without its source is an orphan. */
    private static List<SegmentCensus.Entry> rCopiesFirst(List<SegmentCensus.Entry> entries) {
        return entries.stream().sorted(Comparator.comparing(e -> e.layout() != StorageLayout.R_MEMSHARE)).toList();
    }

    /**
     * Unlinks the chosen orphans: segments whose owner is dead, looked at again right before unlinking
     * (file identity and owner unchanged), as {@code memshare gc} does; and copies in R's layout (which
     * record no owner) whose source copy is gone or an orphan. Under the host's lock.
     *
     * @return how many were unlinked
     */
    @SuppressWarnings("try")
    synchronized int sweepOrphans(Predicate<QualifiedName> chosen) {
        try (HostLock lock = HostLock.acquire(registry.directory())) {
            return unlinkOrphans(chosen);
        } catch (RuntimeException e) {
            // A sweep is housekeeping: it must never fail a task; say why it stopped.
            System.err.println("memshare-spark: orphan sweep stopped: directory=" + registry.directory()
                + ", reason=" + e);
            return 0;
        }
    }

    private int unlinkOrphans(Predicate<QualifiedName> chosen) {
        int unlinked = 0;
        for (SegmentCensus.Entry entry : rCopiesFirst(census.list())) {
            if (!chosen.test(entry.name()) || entry.isRefused()) {
                continue;
            }
            if (entry.layout() == StorageLayout.R_MEMSHARE) {
                if (isRCopyOrphan(entry.name()) && census.remove(entry)) {
                    unlinked++;
                }
            } else if (census.reclaim(entry)) {
                unlinked++;
            }
        }
        return unlinked;
    }

    /** An R copy of this module is an orphan when the copy it was made from is gone or an orphan. */
    private boolean isRCopyOrphan(QualifiedName name) {
        String namespace = name.namespace();
        if (!namespace.endsWith(R_SUFFIX) || isPage(name)) {
            return false;
        }
        Optional<SegmentCensus.Entry> source = census.entry(
            new QualifiedName(namespace.substring(0, namespace.length() - R_SUFFIX.length()), name.variable()),
            StorageLayout.MEMSHARE);
        return source.isEmpty() || source.get().isOrphan();
    }

    /**
     * At exit: unlink orphans of this module, drop the views, unlink the copies this executor loaded
     * (before memshare's own hook would, so that the check for a last copy below sees them gone), and
     * remove the lock file when no copy is left.
     */
    private void atExit() {
        // The orphans first and without waiting for the lock (the re-check before each unlink makes
        // that safe): a cluster manager may kill a slow-exiting executor a few seconds after SIGTERM.
        try {
            unlinkOrphans(HostCopies::ofThisModule);
        } catch (RuntimeException e) {
            System.err.println("memshare-spark: orphan sweep at exit stopped: directory=" + registry.directory()
                + ", reason=" + e);
        }
        synchronized (this) {
            attached.values().forEach(View::close);
            attached.clear();
            // R copies first: pages listed as namespace.variable, released in that order.
            List<String> pages = registry.pageList().stream()
                .sorted(Comparator.comparing(page -> !page.substring(0, Math.max(0, page.indexOf('.'))).endsWith(R_SUFFIX)))
                .toList();
            for (String page : pages) {
                int dot = page.indexOf('.');
                if (page.startsWith(NAMESPACE_PREFIX) && dot > 0) {
                    try {
                        registry.releaseVariables(page.substring(0, dot), page.substring(dot + 1));
                    } catch (RuntimeException e) {
                        // released meanwhile
                    }
                }
            }
        }
        removeLockFileIfUnused();
    }

    /**
     * Removes the lock file when no copy of this module is left in the directory, so that an ended
     * application leaves nothing behind. A JVM that opened the old file meanwhile is harmless: creation
     * is exclusive and {@link #awaitCopy} waits for a live loader.
     */
    private void removeLockFileIfUnused() {
        try {
            if (census.list().stream().noneMatch(entry -> ofThisModule(entry.name()))) {
                Files.deleteIfExists(registry.directory().resolve(LOCK_FILE));
            }
        } catch (IOException | RuntimeException e) {
            // housekeeping at exit: never fail it
        }
    }

    /** The host-wide lock: a thread of this JVM at a time (callers synchronize), a JVM of the host at a time. */
    private record HostLock(FileChannel channel, FileLock lock) implements AutoCloseable {
        static HostLock acquire(Path directory) {
            Path path = directory.resolve(LOCK_FILE);
            try {
                checkTrusted(path);
                FileChannel channel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try {
                    return new HostLock(channel, channel.lock());
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock the host's memshare lock file: path=" + path + ", reason=" + e, e);
            }
        }

        /**
         * The segment directory is shared with other users: refuse a lock file that is a link, a FIFO
         * or another user's, or that others may write (it is looked at without following links).
         */
        private static void checkTrusted(Path path) throws IOException {
            PosixFileAttributes attributes;
            try {
                attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return; // created below, exclusively ours
            }
            Set<PosixFilePermission> permissions = attributes.permissions();
            String user = System.getProperty("user.name");
            if (!attributes.isRegularFile() || !attributes.owner().getName().equals(user)
                || permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IllegalStateException("untrusted lock file in the segment directory: path=" + path
                    + ", regularFile=" + attributes.isRegularFile() + ", owner=" + attributes.owner().getName()
                    + ", user=" + user + ", permissions=" + PosixFilePermissions.toString(permissions)
                    + " (remove it; memshare creates it as a regular file of mode 0600)");
            }
        }

        @Override
        public void close() {
            try {
                channel.close(); // releases the lock
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

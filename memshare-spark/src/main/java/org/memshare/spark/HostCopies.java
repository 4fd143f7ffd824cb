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
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.spark.SparkEnv;
import org.memshare.format.internal.SegmentLayout;
import org.memshare.registry.AlreadyRegisteredException;
import org.memshare.registry.MemShare;
import org.memshare.registry.QualifiedName;
import org.memshare.registry.SegmentCensus;
import org.memshare.registry.View;
import org.memshare.segment.ProcessIdentity;
import org.memshare.segment.internal.SegmentFile;
import org.memshare.segment.internal.SegmentStore;

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
 * <p>Staleness. Before each use, a view's file identity is compared with the segment's: a copy
 * released or reloaded meanwhile is dropped here and mapped again, so a host keeps one copy.
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

    /** One per segment directory (a JVM normally has one; tests in one JVM may change it). */
    private static final Map<Path, HostCopies> INSTANCES = new HashMap<>();

    private final MemShare registry;
    /**
     * The registry's store, reached directly: the host's lock, the loaders' liveness and orphan
     * sweeping work on files below the registry (this module runs on the class path, where the core's
     * internal packages are visible).
     */
    private final SegmentStore store;
    private final Map<QualifiedName, Attached> attached = new HashMap<>();

    /** A view this JVM holds and the identity of the file it maps. */
    private record Attached(View view, Object fileKey) {
    }

    private HostCopies(MemShare registry) {
        this.registry = registry;
        this.store = SegmentStore.of(registry.storeKind(), registry.directory());
    }

    /**
     * @return this JVM's instance for the segment directory in force; the first call sweeps orphans
     *     and installs the exit sweep
     */
    static synchronized HostCopies get() {
        MemShare registry = MemShare.system();
        return INSTANCES.computeIfAbsent(registry.directory(), directory -> {
            HostCopies copies = new HostCopies(registry);
            copies.sweepOrphans(name -> name.namespace().startsWith(NAMESPACE_PREFIX));
            Runtime.getRuntime().addShutdownHook(new Thread(copies::atExit, "memshare-spark-exit"));
            return copies;
        });
    }

    /** @return the host name Spark knows this executor by (the driver's, outside an executor) */
    static String host() {
        SparkEnv env = SparkEnv.get();
        return env == null ? "unknown" : env.blockManager().blockManagerId().host();
    }

    /**
     * @return this JVM's view of the host's copy of {@code namespace.name}, loading the copy first if
     *     the host has none (or only a dead loader's)
     */
    @SuppressWarnings("try") // the lock is held for the block, not referenced in it
    synchronized View attach(String namespace, String name, HostLoad load) {
        QualifiedName qualified = new QualifiedName(namespace, name);
        Attached held = attached.get(qualified);
        if (held != null) {
            Optional<Object> now = store.fileKey(qualified.segmentName());
            if (now.isPresent() && now.get().equals(held.fileKey())) {
                return held.view();
            }
            attached.remove(qualified);
            held.view().close();
        }
        try (HostLock lock = HostLock.acquire(store.directory())) {
            awaitCopy(qualified, load);
            View view = registry.retrieveView(namespace, name);
            Object fileKey = store.fileKey(qualified.segmentName())
                .orElseThrow(() -> new IllegalStateException("copy vanished while mapping: variable=" + qualified));
            attached.put(qualified, new Attached(view, fileKey));
            return view;
        }
    }

    /** What the host has of a variable. */
    private enum CopyState {
        /** Complete, and its loader runs. */
        READY,
        /** Being loaded by a live executor (possible only if the lock file was replaced meanwhile). */
        LOADING,
        /** No copy, or a dead loader's, or a file that is not a valid copy: to be loaded anew. */
        ABSENT
    }

    /**
     * Makes sure the host has a ready copy: loads it when absent (unlinking a dead loader's first),
     * waits while a live executor loads it. Creation is exclusive, so two loaders cannot both succeed.
     */
    private void awaitCopy(QualifiedName name, HostLoad load) {
        while (true) {
            switch (state(name)) {
                case READY -> {
                    return;
                }
                case LOADING -> sleepBriefly(name);
                case ABSENT -> {
                    store.unlink(name.segmentName()); // a dead loader's copy, or none
                    try {
                        load.load(registry, name.namespace(), name.variable());
                        return;
                    } catch (AlreadyRegisteredException e) {
                        // another executor of the host won the exclusive creation: wait for its copy
                    }
                }
            }
        }
    }

    private CopyState state(QualifiedName name) {
        Optional<MemorySegment> head = store.readPrefix(name.segmentName(), SegmentLayout.HEADER_BYTES);
        if (head.isEmpty()) {
            return CopyState.ABSENT;
        }
        ProcessIdentity owner = SegmentLayout.ownerOrNull(head.get());
        if (owner == null || !owner.isAlive()) {
            return CopyState.ABSENT;
        }
        return SegmentLayout.isPending(head.get()) ? CopyState.LOADING : CopyState.READY;
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
     * Releases variables of a namespace on this host: drops this JVM's views, and unlinks the host's
     * copies (as a page when this JVM loaded them). Other executors drop their views at their next use.
     *
     * @param names the variables, or empty for the whole namespace
     * @return how many copies were unlinked
     */
    @SuppressWarnings("try")
    synchronized int release(String namespace, Set<String> names) {
        Predicate<QualifiedName> chosen = q -> q.namespace().equals(namespace)
            && (names.isEmpty() || names.contains(q.variable()));
        for (Iterator<Map.Entry<QualifiedName, Attached>> it = attached.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<QualifiedName, Attached> entry = it.next();
            if (chosen.test(entry.getKey())) {
                entry.getValue().view().close();
                it.remove();
            }
        }
        int unlinked = 0;
        try (HostLock lock = HostLock.acquire(store.directory())) {
            for (String segmentName : store.list()) {
                Optional<QualifiedName> name = QualifiedName.ofSegmentName(segmentName);
                if (name.isEmpty() || !chosen.test(name.get())) {
                    continue;
                }
                if (registry.pageList().contains(name.get().toString())) {
                    registry.releaseVariables(namespace, name.get().variable());
                    unlinked++;
                } else if (store.unlink(segmentName)) {
                    unlinked++;
                }
            }
        }
        return unlinked;
    }

    /**
     * Unlinks the chosen orphans: segments whose owner is dead, looked at again right before unlinking
     * (file identity and owner unchanged), as {@code memshare gc} does; under the host's lock.
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
        for (SegmentCensus.Entry orphan : registry.census().orphans()) {
            if (!chosen.test(orphan.name())) {
                continue;
            }
            Optional<SegmentFile> before = store.stat(orphan.segmentName());
            Optional<MemorySegment> head = store.readPrefix(orphan.segmentName(), SegmentLayout.HEADER_BYTES);
            ProcessIdentity owner = head.map(SegmentLayout::ownerOrNull).orElse(null);
            if (before.isPresent() && orphan.owner().equals(owner) && !owner.isAlive()
                && before.equals(store.stat(orphan.segmentName())) && store.unlink(orphan.segmentName())) {
                unlinked++;
            }
        }
        return unlinked;
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
            unlinkOrphans(name -> name.namespace().startsWith(NAMESPACE_PREFIX));
        } catch (RuntimeException e) {
            System.err.println("memshare-spark: orphan sweep at exit stopped: directory=" + registry.directory()
                + ", reason=" + e);
        }
        synchronized (this) {
            attached.values().forEach(a -> a.view().close());
            attached.clear();
            for (String page : registry.pageList()) {
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
            String prefix = QualifiedName.SEGMENT_PREFIX + NAMESPACE_PREFIX;
            if (store.list().stream().noneMatch(file -> file.startsWith(prefix))) {
                Files.deleteIfExists(store.directory().resolve(LOCK_FILE));
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

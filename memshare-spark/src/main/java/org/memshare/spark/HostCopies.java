package org.memshare.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.spark.SparkEnv;
import org.memshare.format.SegmentLayout;
import org.memshare.registry.MemShare;
import org.memshare.registry.QualifiedName;
import org.memshare.registry.SegmentCensus;
import org.memshare.registry.View;
import org.memshare.segment.ProcessIdentity;
import org.memshare.segment.SegmentFile;
import org.memshare.segment.SegmentStore;

/**
 * The executor side: this JVM's views of the host's copies, each mapped once per JVM and kept across
 * tasks and calls, and the one rule for loading a host's copy.
 *
 * <p>Loading. The first task on a host that needs a variable takes the host's lock file
 * ({@value #LOCK_FILE} in the segment directory, one per host, never removed), looks again, and loads
 * the variable when it is missing or when its owner is dead (the loading executor was killed: its copy
 * is an orphan, unlinked and loaded anew). Tasks on other executors wait on the lock, then map the copy.
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
    private final Map<QualifiedName, Attached> attached = new HashMap<>();

    /** A view this JVM holds and the identity of the file it maps. */
    private record Attached(View view, Object fileKey) {
    }

    private HostCopies(MemShare registry) {
        this.registry = registry;
    }

    /**
     * @return this JVM's instance for the segment directory in force; the first call sweeps orphans
     *     and installs the exit sweep
     */
    static synchronized HostCopies get() {
        MemShare registry = MemShare.system();
        return INSTANCES.computeIfAbsent(registry.store().directory(), directory -> {
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
        SegmentStore store = registry.store();
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
            if (!usable(qualified)) {
                store.unlink(qualified.segmentName()); // a dead loader's copy, or a partial one: load anew
                load.load(registry, namespace, name);
            }
            View view = registry.retrieveView(namespace, name);
            Object fileKey = store.fileKey(qualified.segmentName())
                .orElseThrow(() -> new IllegalStateException("copy vanished while mapping: variable=" + qualified));
            attached.put(qualified, new Attached(view, fileKey));
            return view;
        }
    }

    /** A copy is usable when it is complete and its owner (the loader) still runs. */
    private boolean usable(QualifiedName name) {
        Optional<MemorySegment> head = registry.store().readPrefix(name.segmentName(), SegmentLayout.HEADER_BYTES);
        if (head.isEmpty()) {
            return false;
        }
        ProcessIdentity owner = SegmentLayout.ownerOrNull(head.get());
        return owner != null && owner.isAlive() && !SegmentLayout.isPending(head.get());
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
        SegmentStore store = registry.store();
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
     * Unlinks the chosen orphans: segments whose owner is dead, looked at again right before unlinking.
     *
     * @return how many were unlinked
     */
    @SuppressWarnings("try")
    synchronized int sweepOrphans(Predicate<QualifiedName> chosen) {
        SegmentStore store = registry.store();
        int unlinked = 0;
        try (HostLock lock = HostLock.acquire(store.directory())) {
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
        } catch (RuntimeException e) {
            // A sweep is housekeeping: it must never fail a task or block an exit.
        }
        return unlinked;
    }

    /** At exit: drop the views, then unlink orphans of this module (memshare's own hook unlinks our pages). */
    private void atExit() {
        synchronized (this) {
            attached.values().forEach(a -> a.view().close());
            attached.clear();
        }
        sweepOrphans(name -> name.namespace().startsWith(NAMESPACE_PREFIX));
    }

    /** The host-wide lock: a thread of this JVM at a time (callers synchronize), a JVM of the host at a time. */
    private record HostLock(FileChannel channel, FileLock lock) implements AutoCloseable {
        static HostLock acquire(Path directory) {
            try {
                FileChannel channel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                try {
                    return new HostLock(channel, channel.lock());
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock the host's memshare lock file: path="
                    + directory.resolve(LOCK_FILE) + ", reason=" + e, e);
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

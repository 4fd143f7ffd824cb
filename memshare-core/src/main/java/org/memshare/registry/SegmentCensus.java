package org.memshare.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.memshare.format.ElementType;
import org.memshare.format.Kind;
import org.memshare.segment.ProcessIdentity;
import org.memshare.segment.internal.SegmentFile;
import org.memshare.segment.internal.SegmentStore;

/**
 * Every segment of this library in a directory, with its owner's liveness: what {@code memshare ls}
 * prints and what {@code memshare gc} reclaims. A file counts as ours only when it is named like our
 * segments <em>and</em> starts with one of our magics; anything else is never touched.
 *
 * {@snippet :
 * SegmentCensus census = MemShare.system().census();
 * for (SegmentCensus.Entry orphan : census.reclaimOrphans(false)) {
 *     System.out.println("reclaimed " + orphan.name());
 * }
 * }
 */
public final class SegmentCensus {

    /** Whether a segment's data may be used. */
    public enum State {
        /** Complete and valid. */
        READY,
        /** Still being written, or its owner died while writing it. */
        PENDING,
        /** Ours by its magic, but its header is invalid (for example truncated). */
        INVALID
    }

    /**
     * One segment.
     *
     * @param name the variable
     * @param segmentName the file name
     * @param layout the storage layout
     * @param state whether it is usable
     * @param kind kind, or null when the header cannot be read
     * @param elementType element type; null for a list or when unknown
     * @param shape the dimensions (empty when unknown)
     * @param bytes the file's size
     * @param owner the registering process
     * @param ownerAlive whether that process (same pid and start time) still runs
     */
    public record Entry(QualifiedName name, String segmentName, StorageLayout layout, State state, Kind kind,
                        ElementType elementType, List<Long> shape, long bytes, ProcessIdentity owner,
                        boolean ownerAlive) {
        /** Copies the shape, so the record stays immutable. */
        public Entry {
            shape = List.copyOf(shape);
        }

        /**
         * @return whether the owner is gone, so the segment is an orphan; never for R memshare's
         *     layout, which records no owner and so is never reclaimed
         */
        public boolean isOrphan() {
            return ownerKnown() && !ownerAlive;
        }

        /** @return whether the layout records an owner (false for R memshare's, whose owner is unknown) */
        public boolean ownerKnown() {
            return LayoutCodec.of(layout).recordsOwner();
        }
    }

    private final SegmentStore store;

    SegmentCensus(SegmentStore store) {
        this.store = store;
    }

    /** @return every segment of this library in the directory, sorted by name */
    public List<Entry> list() {
        List<Entry> entries = new ArrayList<>();
        List<String> names = store.list();
        for (StorageLayout layout : StorageLayout.values()) {
            entries.addAll(LayoutCodec.of(layout).census(store, names));
        }
        entries.sort((a, b) -> a.segmentName().compareTo(b.segmentName()));
        return entries;
    }

    /** @return the segments whose owner is dead (pid gone, or reused by a process with another start time) */
    public List<Entry> orphans() {
        return list().stream().filter(Entry::isOrphan).toList();
    }

    /**
     * Unlinks every orphan. A segment whose owner lives, or a file that is not ours, is never touched.
     *
     * @param dryRun when true, only report what would be reclaimed
     * @return the orphans reclaimed (or that would be)
     */
    public List<Entry> reclaimOrphans(boolean dryRun) {
        List<Entry> reclaimed = new ArrayList<>();
        for (Entry orphan : orphans()) {
            if (dryRun) {
                reclaimed.add(orphan);
                continue;
            }
            // Look again right before unlinking: the name may have been reclaimed and re-registered.
            Optional<SegmentFile> before = store.stat(orphan.segmentName());
            Optional<Entry> now = MemshareCodec.INSTANCE.inspect(store, orphan.segmentName());
            if (before.isPresent() && now.isPresent() && now.get().isOrphan() && now.get().owner().equals(orphan.owner())
                && before.equals(store.stat(orphan.segmentName())) && store.unlink(orphan.segmentName())) {
                reclaimed.add(orphan);
            }
        }
        return reclaimed;
    }
}

package org.memshare.registry;

import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.memshare.format.ElementType;
import org.memshare.format.Kind;
import org.memshare.format.SegmentFormatException;
import org.memshare.format.SegmentHeader;
import org.memshare.format.SegmentLayout;
import java.lang.foreign.MemorySegment;
import org.memshare.segment.ProcessIdentity;
import org.memshare.segment.SegmentFile;
import org.memshare.segment.SegmentStore;

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
            return layout == StorageLayout.MEMSHARE;
        }
    }

    /** Longest list directory read when listing (a million elements); longer ones are listed as invalid. */
    private static final long MAX_DIRECTORY_BYTES = 64L << 20;

    private final SegmentStore store;

    SegmentCensus(SegmentStore store) {
        this.store = store;
    }

    /** @return every segment of this library in the directory, sorted by name */
    public List<Entry> list() {
        List<Entry> entries = new ArrayList<>();
        List<String> names = store.list();
        for (String segmentName : names) {
            inspect(segmentName).ifPresent(entries::add);
        }
        // R memshare's variables too, marked by their layout; they are listed, never reclaimed.
        entries.addAll(RMemshareCensus.list(store, names));
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
            Optional<Entry> now = inspect(orphan.segmentName());
            if (before.isPresent() && now.isPresent() && now.get().isOrphan() && now.get().owner().equals(orphan.owner())
                && before.equals(store.stat(orphan.segmentName())) && store.unlink(orphan.segmentName())) {
                reclaimed.add(orphan);
            }
        }
        return reclaimed;
    }

    private Optional<Entry> inspect(String segmentName) {
        Optional<QualifiedName> name = QualifiedName.ofSegmentName(segmentName);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        try {
            // Read, never map: a sparse or truncated file on a full /dev/shm would fault on access.
            Optional<SegmentFile> file = store.stat(segmentName);
            Optional<MemorySegment> head = store.readPrefix(segmentName, SegmentLayout.HEADER_BYTES);
            if (file.isEmpty() || head.isEmpty()) {
                return Optional.empty();
            }
            ProcessIdentity owner = SegmentLayout.ownerOrNull(head.get());
            if (owner == null) {
                return Optional.empty();
            }
            long bytes = file.get().size();
            boolean alive = owner.isAlive();
            if (SegmentLayout.isPending(head.get())) {
                return Optional.of(new Entry(name.get(), segmentName, StorageLayout.MEMSHARE, State.PENDING, null, null,
                    List.of(), bytes, owner, alive));
            }
            try {
                long dataOffset = head.get().get(ValueLayout.JAVA_INT_UNALIGNED
                    .withOrder(ByteOrder.LITTLE_ENDIAN), SegmentLayout.DATA_OFFSET_OFFSET) & 0xFFFF_FFFFL;
                MemorySegment headerAndDirectory = dataOffset > SegmentLayout.HEADER_BYTES && dataOffset <= MAX_DIRECTORY_BYTES
                    ? store.readPrefix(segmentName, (int) dataOffset).orElse(head.get())
                    : head.get();
                SegmentHeader header = SegmentLayout.read(headerAndDirectory, bytes, segmentName);
                Metadata metadata = Metadata.of(name.get(), header, StorageLayout.MEMSHARE);
                return Optional.of(new Entry(name.get(), segmentName, StorageLayout.MEMSHARE, State.READY, metadata.kind(),
                    metadata.elementType(), metadata.shape(), bytes, owner, alive));
            } catch (SegmentFormatException e) {
                return Optional.of(new Entry(name.get(), segmentName, StorageLayout.MEMSHARE, State.INVALID, null, null,
                    List.of(), bytes, owner, alive));
            }
        } catch (IllegalStateException | UncheckedIOException e) {
            return Optional.empty(); // removed meanwhile, or unreadable (another user's file): not ours to judge
        }
    }
}

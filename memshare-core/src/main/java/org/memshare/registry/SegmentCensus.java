package org.memshare.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.memshare.format.ElementType;
import org.memshare.format.Kind;
import org.memshare.format.internal.SegmentLayout;
import org.memshare.segment.FileStatus;
import org.memshare.segment.ProcessIdentity;
import org.memshare.segment.internal.SegmentFile;
import org.memshare.segment.internal.SegmentStore;
import org.memshare.segment.UntrustedSegmentException;

/**
 * Every segment of this library in a directory, with its owner's liveness: what {@code memshare ls}
 * prints and what {@code memshare gc} reclaims. A file counts as ours only when it is named like our
 * segments, passes the store's trust check (a regular file of this user that others may not write)
 * <em>and</em> starts with one of our magics. An entry named like a segment that fails the trust check
 * is listed as {@link State#FOREIGN} or {@link State#NOT_A_SEGMENT} with the reason, never opened
 * further and never reclaimed; a file without our magic is not listed.
 *
 * <p>One exception to the magic rule: a regular file of this user, named like our segments and
 * shorter than a header, is listed as {@link State#INCOMPLETE}. A registrant writes the header
 * (owner and pending magic) right after creating the file exclusively, so such a file is one whose
 * registrant was killed in between, or one being created right now. Once it has stayed unchanged
 * for {@link #INCOMPLETE_GRACE} it is an orphan that {@code gc} reclaims, so a crash there neither
 * leaks the file nor blocks the name; a younger one is kept.
 *
 * {@snippet :
 * SegmentCensus census = MemShare.system().census();
 * for (SegmentCensus.Entry orphan : census.reclaimOrphans(false)) {
 *     System.out.println("reclaimed " + orphan.name());
 * }
 * }
 */
public final class SegmentCensus {

    /**
     * How long a file shorter than a header must have stayed unchanged (by its modification time)
     * before {@code gc} reclaims it as {@link State#INCOMPLETE}: a live registrant writes the header
     * microseconds after creating the file, so only a registrant stopped for this long could lose
     * its file, and then its registration fails or its name is free again, nothing leaks.
     */
    public static final Duration INCOMPLETE_GRACE = Duration.ofSeconds(5);

    /** Whether a segment's data may be used. */
    public enum State {
        /** Complete and valid. */
        READY,
        /** Still being written, or its owner died while writing it. */
        PENDING,
        /** Ours by its magic, but its header is invalid (for example truncated). */
        INVALID,
        /**
         * This user's regular file named like a segment but shorter than a header: its registrant
         * died between creating it and writing the header, or is writing it now. Its owner is
         * unknown; {@link Entry#reason()} says which case the file's age suggests.
         */
        INCOMPLETE,
        /** A regular file named like a segment that belongs to another user or that others may write. */
        FOREIGN,
        /** Named like a segment but a symbolic link, FIFO, socket, device or directory. */
        NOT_A_SEGMENT;

        /**
         * The state's name as listings and JSON show it.
         *
         * @return the label used by {@code ls} and in JSON, for example {@code "not-a-segment"}
         */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
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
     * @param ownerAlive whether that process (same pid and start time) still runs; for an
     *     {@link State#INCOMPLETE} file, whose owner is unknown, whether it is younger than
     *     {@link #INCOMPLETE_GRACE} so its registrant may still be writing it
     * @param reason why the entry is {@link State#FOREIGN} or {@link State#NOT_A_SEGMENT} (for example
     *     {@code "owned by another user (uid=1001, ...)"}) or {@link State#INCOMPLETE}, else null
     */
    public record Entry(QualifiedName name, String segmentName, StorageLayout layout, State state, Kind kind,
                        ElementType elementType, List<Long> shape, long bytes, ProcessIdentity owner,
                        boolean ownerAlive, String reason) {
        /** Copies the shape, so the record stays immutable. */
        public Entry {
            shape = List.copyOf(shape);
        }

        /**
         * An entry of this library's own, without a refusal reason.
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
         * @param ownerAlive whether that process still runs
         */
        public Entry(QualifiedName name, String segmentName, StorageLayout layout, State state, Kind kind,
                     ElementType elementType, List<Long> shape, long bytes, ProcessIdentity owner, boolean ownerAlive) {
            this(name, segmentName, layout, state, kind, elementType, shape, bytes, owner, ownerAlive, null);
        }

        /**
         * Whether the census refused to open the file.
         *
         * @return whether the file failed the trust check ({@link State#FOREIGN} or {@link State#NOT_A_SEGMENT})
         */
        public boolean isRefused() {
            return state == State.FOREIGN || state == State.NOT_A_SEGMENT;
        }

        /**
         * Whether {@code gc} may reclaim the segment.
         *
         * @return whether the owner is gone, so the segment is an orphan, or, for an
         *     {@link State#INCOMPLETE} file, whether it has stayed without a header for longer than
         *     {@link #INCOMPLETE_GRACE}; never for R memshare's layout, which records no owner and so
         *     is never reclaimed
         */
        public boolean isOrphan() {
            return (state == State.INCOMPLETE || ownerKnown()) && !ownerAlive;
        }

        /**
         * Whether {@link #owner()} and {@link #ownerAlive()} mean anything for this entry.
         *
         * @return whether the layout records an owner (false for R memshare's, whose owner is unknown,
         *         for refused files, which are not read, and for incomplete ones, which have no header)
         */
        public boolean ownerKnown() {
            return LayoutCodec.of(layout).recordsOwner() && !isRefused() && state != State.INCOMPLETE;
        }
    }

    /**
     * An entry {@code gc} did not reclaim although it might have been one to reclaim: a refused file
     * (another user's, or not a regular file), or an orphan whose unlink failed.
     *
     * @param entry the entry
     * @param reason why it was left, in words
     * @param ownOrphan true for an orphan of this user that could not be reclaimed (a failure), false
     *     for an entry that is not this user's to reclaim
     */
    public record Skipped(Entry entry, String reason, boolean ownOrphan) {
    }

    /**
     * What {@link #reclaim(boolean)} did.
     *
     * @param reclaimed the orphans reclaimed (or that would be, in a dry run)
     * @param skipped the entries left, each with the reason
     */
    public record Report(List<Entry> reclaimed, List<Skipped> skipped) {
        /** Copies the lists, so the record stays immutable. */
        public Report {
            reclaimed = List.copyOf(reclaimed);
            skipped = List.copyOf(skipped);
        }

        /**
         * Whether {@code gc} succeeded: the command line's {@code gc} exits 3 when it did not.
         *
         * @return whether every orphan of this user was reclaimed (refused entries of others do not count)
         */
        public boolean complete() {
            return skipped.stream().noneMatch(Skipped::ownOrphan);
        }
    }

    private final SegmentStore store;

    SegmentCensus(SegmentStore store) {
        this.store = store;
    }

    /**
     * Lists the segment directory: every file named like a segment, of this library's layout or R
     * memshare's, including invalid and refused ones (each with its state).
     *
     * @return every segment of this library in the directory, sorted by name
     */
    public List<Entry> list() {
        List<Entry> entries = new ArrayList<>();
        List<String> names = store.list();
        for (StorageLayout layout : StorageLayout.values()) {
            entries.addAll(LayoutCodec.of(layout).census(store, names));
        }
        entries.sort((a, b) -> a.segmentName().compareTo(b.segmentName()));
        return entries;
    }

    /**
     * The entries {@code gc} would reclaim.
     *
     * @return the segments whose owner is dead (pid gone, or reused by a process with another start time)
     */
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
        return reclaim(dryRun).reclaimed();
    }

    /**
     * Unlinks every orphan of this user and reports what it left: refused entries (another user's
     * files, links, FIFOs, directories) are never touched, and an orphan that cannot be unlinked is
     * reported with the reason instead of ending the run, so one bad entry never keeps the others
     * from being reclaimed.
     *
     * {@snippet :
     * SegmentCensus.Report report = MemShare.system().census().reclaim(false);
     * report.skipped().forEach(s -> System.err.println(s.entry().segmentName() + ": " + s.reason()));
     * }
     *
     * @param dryRun when true, only report what would be reclaimed
     * @return the orphans reclaimed (or that would be) and the entries left with their reasons
     */
    public Report reclaim(boolean dryRun) {
        List<Entry> reclaimed = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Entry entry : list()) {
            if (entry.isRefused() || (entry.state() == State.INCOMPLETE && !entry.isOrphan())) {
                skipped.add(new Skipped(entry, entry.state().label() + ": " + entry.reason(), false));
                continue;
            }
            if (!entry.isOrphan()) {
                continue;
            }
            if (dryRun) {
                reclaimed.add(entry);
                continue;
            }
            try {
                if (reclaim(entry)) {
                    reclaimed.add(entry);
                }
            } catch (RuntimeException e) {
                skipped.add(new Skipped(entry, e.getMessage(), true));
            }
        }
        return new Report(reclaimed, skipped);
    }

    /**
     * The census entry of one variable, read now: whether it is complete or still being written
     * ({@link Entry#state()}), who registered it and whether that process runs. A coordinator that
     * places copies on a host uses it to tell a live loader's copy from a dead one's.
     *
     * {@snippet :
     * Optional<SegmentCensus.Entry> x = MemShare.system().census().entry(new QualifiedName("ns", "X"), StorageLayout.MEMSHARE);
     * boolean usable = x.isPresent() && x.get().state() == SegmentCensus.State.READY && x.get().ownerAlive();
     * }
     *
     * @param name the variable
     * @param layout the layout to look in
     * @return its entry, or empty when the variable has no files of that layout (or files that are
     *     not that layout's: another program's file under a segment's name)
     */
    public Optional<Entry> entry(QualifiedName name, StorageLayout layout) {
        return LayoutCodec.of(layout).inspect(store, name);
    }

    /**
     * Unlinks one orphan if it still is that orphan: its file is looked at again right before the
     * unlink (same owner, still dead, same file before and after the look), as {@link #reclaim(boolean)}
     * does for every orphan, so a name reclaimed and registered again meanwhile is never touched. An
     * {@link State#INCOMPLETE} file is unlinked only if it is still the same file (device and inode),
     * still without a header and still older than {@link #INCOMPLETE_GRACE}: one that got its header
     * meanwhile is kept.
     *
     * @param orphan an entry of this census (this library's layout; R's records no owner)
     * @return whether this call unlinked it
     * @throws org.memshare.segment.UntrustedSegmentException when the name now denotes a file that
     *     is not this user's regular file
     */
    public boolean reclaim(Entry orphan) {
        if (!orphan.isOrphan()) {
            return false;
        }
        String segmentName = orphan.segmentName();
        Optional<SegmentFile> before = store.stat(segmentName);
        Optional<Entry> now = MemshareCodec.INSTANCE.inspect(store, segmentName);
        boolean stillThatOrphan = now.isPresent() && now.get().isOrphan() && now.get().owner().equals(orphan.owner())
            && (now.get().state() == State.INCOMPLETE) == (orphan.state() == State.INCOMPLETE);
        return before.isPresent() && stillThatOrphan && before.equals(store.stat(segmentName)) && store.unlink(segmentName);
    }

    /**
     * Unlinks a variable's files whoever registered them, as a release on the registrant's behalf
     * (a coordinator removing the copies it had loaded on a host by other processes). Processes that
     * map the variable keep their mappings; the registrant's own later release leaves alone a file
     * registered under the name since. Callers serialize this with the registrants themselves (a
     * lock of their own): nothing here checks that the files are still those the entry saw.
     *
     * @param entry an entry of this census that is not refused
     * @return whether any file of the variable was unlinked
     * @throws IllegalArgumentException for a refused entry (another user's file, a link, a FIFO)
     */
    public boolean remove(Entry entry) {
        if (entry.isRefused()) {
            throw new IllegalArgumentException("not this user's segment to remove: variable=" + entry.name()
                + ", segment=" + entry.segmentName() + ", state=" + entry.state().label() + ", reason=" + entry.reason());
        }
        boolean unlinked = false;
        for (String file : LayoutCodec.of(entry.layout()).fileNames(entry.name())) {
            unlinked |= store.unlink(file);
        }
        return unlinked;
    }

    /**
     * The entry of this user's regular file that is shorter than a header, with the one rule that
     * tells an abandoned one from one being written: unchanged for longer than {@link #INCOMPLETE_GRACE}.
     */
    static Entry incomplete(QualifiedName name, String segmentName, FileStatus status) {
        long age = System.currentTimeMillis() - status.modifiedMillis();
        boolean fresh = status.size() >= SegmentLayout.HEADER_BYTES || age <= INCOMPLETE_GRACE.toMillis();
        String reason = fresh
            ? "no header yet: " + status.size() + " bytes, changed less than " + INCOMPLETE_GRACE.toSeconds()
                + " s ago (its registrant may be writing it)"
            : "no header: " + status.size() + " bytes, unchanged for more than " + INCOMPLETE_GRACE.toSeconds()
                + " s (its registrant died before writing one)";
        return new Entry(name, segmentName, StorageLayout.MEMSHARE, State.INCOMPLETE, null, null, List.of(), status.size(),
            ProcessIdentity.UNKNOWN, fresh, reason);
    }

    /** The entry of a file that failed the trust check: listed with the reason, never opened further. */
    static Entry refused(QualifiedName name, String segmentName, StorageLayout layout, UntrustedSegmentException e) {
        State state = e.reason() == UntrustedSegmentException.Reason.NOT_A_REGULAR_FILE ? State.NOT_A_SEGMENT : State.FOREIGN;
        return new Entry(name, segmentName, layout, state, null, null, List.of(), 0, ProcessIdentity.UNKNOWN, false,
            e.detail());
    }
}

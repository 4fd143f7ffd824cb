package org.memshare.registry;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import org.memshare.format.internal.SegmentHeader;
import org.memshare.segment.Access;
import org.memshare.segment.internal.MappedSegment;
import org.memshare.segment.internal.SegmentStore;

/**
 * One storage layout's whole knowledge of its files, the way a codec owns one on-disk format: which
 * files a variable is, how they are created, opened and validated, whether they exist, and how they
 * appear in a {@link SegmentCensus}. {@link MemShare} never asks which layout it holds; it keeps the
 * pages, views, mappings and reference counts, and hands everything that depends on bytes to the
 * codec of the {@link StorageLayout} asked for. Implementations hold no state.
 */
sealed interface LayoutCodec permits MemshareCodec, RMemshareCodec {

    /**
     * @param layout a storage layout
     * @return its codec
     */
    static LayoutCodec of(StorageLayout layout) {
        return switch (layout) {
            case MEMSHARE -> MemshareCodec.INSTANCE;
            case R_MEMSHARE -> RMemshareCodec.INSTANCE;
        };
    }

    /** @return the layout this codec reads and writes */
    StorageLayout layout();

    /** @return whether the files record their owner, so that a census can find orphans */
    boolean recordsOwner();

    /**
     * @param name a variable
     * @return the file holding its data: the one views map
     */
    String dataName(QualifiedName name);

    /**
     * Creates a variable's files exclusively and all-or-nothing: if anything fails, no file this
     * call created is left behind.
     *
     * @return the page, listing the files in the order they are to be unlinked
     * @throws AlreadyRegisteredException when a file of the variable exists, whoever made it
     * @throws IllegalArgumentException when the layout cannot hold the contents
     */
    Page create(SegmentStore store, QualifiedName name, Contents contents);

    /**
     * Maps a variable's data and validates every file of it.
     *
     * @return the data mapping, owned by the caller, and its decoded header
     * @throws UnknownVariableException when a file is missing
     * @throws org.memshare.format.SegmentFormatException when the files are malformed or inconsistent
     */
    Opened open(SegmentStore store, QualifiedName name, Access access);

    /**
     * Validates again a data mapping about to be reused for a new view (its file may have been
     * overwritten since it was mapped; its identity and size were already checked).
     *
     * @throws org.memshare.format.SegmentFormatException when it no longer reads as a valid variable
     */
    void revalidate(MemorySegment data, QualifiedName name);

    /** @return whether every file of the variable exists now */
    boolean exists(SegmentStore store, QualifiedName name);

    /**
     * @param missing the file found missing
     * @return the exception reporting the variable as not registered
     */
    UnknownVariableException notRegistered(SegmentStore store, QualifiedName name, String missing);

    /**
     * @param names the directory's file names (one listing, shared by every codec)
     * @return an entry for every variable of this layout among them
     */
    List<SegmentCensus.Entry> census(SegmentStore store, List<String> names);

    /**
     * @return the census entry of one variable of this layout, or empty when it has no such files
     *     (or files that are not this layout's)
     */
    Optional<SegmentCensus.Entry> inspect(SegmentStore store, QualifiedName name);

    /** @return every file of a variable, in the order they are to be unlinked (the data last) */
    List<String> fileNames(QualifiedName name);

    /**
     * An opened variable.
     *
     * @param data its data mapping, owned by the caller
     * @param header its decoded header
     */
    record Opened(MappedSegment data, SegmentHeader header) {
    }
}

package org.memshare.registry;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.memshare.format.RMemshareLayout;
import org.memshare.format.SegmentFormatException;
import org.memshare.format.SegmentHeader;
import org.memshare.segment.Access;
import org.memshare.segment.MappedSegment;
import org.memshare.segment.ProcessIdentity;
import org.memshare.segment.SegmentStore;
import org.memshare.segment.UntrustedSegmentException;

/**
 * The R memshare variables in a segment directory, for {@link SegmentCensus}: every pair
 * {@code <ns>.md.<var>} + {@code <ns>.<var>} whose metadata object reads as R-layout records.
 * Another program's files (wrong size, unknown type code) are not listed; a pair with valid records
 * that do not match the data is listed as {@link SegmentCensus.State#INVALID}. The layout records no
 * owner, so entries carry pid 0 and are never orphans.
 */
final class RMemshareCensus {
    private RMemshareCensus() {
    }

    /**
     * @param store the directory
     * @param names the file names in it (one listing, shared with the caller)
     * @return the R-layout variables found
     */
    static List<SegmentCensus.Entry> list(SegmentStore store, List<String> names) {
        Set<String> present = new HashSet<>(names);
        List<SegmentCensus.Entry> entries = new ArrayList<>();
        for (String metadataName : names) {
            int infix = metadataName.indexOf(RMemshareLayout.METADATA_INFIX);
            if (infix <= 0) {
                continue;
            }
            QualifiedName name;
            try {
                name = new QualifiedName(metadataName.substring(0, infix),
                    metadataName.substring(infix + RMemshareLayout.METADATA_INFIX.length()));
            } catch (IllegalArgumentException e) {
                continue; // not a name this library can address
            }
            if (present.contains(RMemshareObjects.dataName(name))) {
                inspect(store, name).ifPresent(entries::add);
            }
        }
        return entries;
    }

    private static Optional<SegmentCensus.Entry> inspect(SegmentStore store, QualifiedName name) {
        String metadataName = RMemshareObjects.metadataName(name);
        String dataName = RMemshareObjects.dataName(name);
        ProcessIdentity unknown = new ProcessIdentity(0, 0);
        try (MappedSegment metadata = store.open(metadataName, Access.READ_ONLY)) {
            if (!RMemshareLayout.looksLikeMetadata(metadata.segment())) {
                return Optional.empty();
            }
            try (MappedSegment data = store.open(dataName, Access.READ_ONLY)) {
                long bytes = metadata.segment().byteSize() + data.segment().byteSize();
                try {
                    if (data.segment().byteSize() == 0) {
                        // R cannot map an empty object; retrieving it fails the same way.
                        throw new SegmentFormatException("R-layout object is empty: variable=" + name);
                    }
                    SegmentHeader header = RMemshareLayout.read(metadata.segment(), data.segment(), name.toString());
                    Metadata decoded = Metadata.of(name, header, StorageLayout.R_MEMSHARE);
                    return Optional.of(new SegmentCensus.Entry(name, dataName, StorageLayout.R_MEMSHARE,
                        SegmentCensus.State.READY, decoded.kind(), decoded.elementType(), decoded.shape(), bytes,
                        unknown, false));
                } catch (SegmentFormatException e) {
                    return Optional.of(new SegmentCensus.Entry(name, dataName, StorageLayout.R_MEMSHARE,
                        SegmentCensus.State.INVALID, null, null, List.of(), bytes, unknown, false));
                }
            }
        } catch (UntrustedSegmentException e) {
            return Optional.of(SegmentCensus.refused(name, dataName, StorageLayout.R_MEMSHARE, e));
        } catch (IllegalStateException | UncheckedIOException e) {
            return Optional.empty(); // removed meanwhile, or unreadable: not ours to judge
        }
    }
}

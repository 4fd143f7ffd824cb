package org.memshare.registry;

import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.memshare.format.internal.RMemshareLayout;
import org.memshare.format.SegmentFormatException;
import org.memshare.format.internal.SegmentHeader;
import org.memshare.segment.Access;
import org.memshare.segment.InvalidNameException;
import org.memshare.segment.internal.MappedSegment;
import org.memshare.segment.ProcessIdentity;
import org.memshare.segment.UntrustedSegmentException;
import org.memshare.segment.internal.SegmentExistsException;
import org.memshare.segment.internal.SegmentNotFoundException;
import org.memshare.segment.internal.SegmentStore;

/**
 * R memshare's layout ({@link RMemshareLayout}): a data object {@code <ns>.<var>} and a metadata
 * object {@code <ns>.md.<var>}, which R's {@code retrieveViews(ns, var)} reads. Holds double vectors,
 * double matrices and lists of these; records no owner, so its variables are listed with pid 0 and
 * never reclaimed as orphans.
 */
final class RMemshareCodec implements LayoutCodec {
    static final RMemshareCodec INSTANCE = new RMemshareCodec();

    private RMemshareCodec() {
    }

    @Override
    public StorageLayout layout() {
        return StorageLayout.R_MEMSHARE;
    }

    @Override
    public boolean recordsOwner() {
        return false;
    }

    @Override
    public String dataName(QualifiedName name) {
        return RMemshareLayout.dataName(name.namespace(), name.variable());
    }

    private static String metadataName(QualifiedName name) {
        return RMemshareLayout.metadataName(name.namespace(), name.variable());
    }

    /**
     * Creates both objects (mode 0600, space reserved): the data object first and filled, then the
     * metadata object, so an R reader that finds the metadata finds complete data. The page unlinks
     * the metadata first, so no reader finds metadata without its data.
     */
    @Override
    public Page create(SegmentStore store, QualifiedName name, Contents contents) {
        if (name.variable().startsWith("md.")) {
            // Its data object <ns>.md.<rest> would be the metadata object of the variable <rest>.
            throw new InvalidNameException("in R memshare's layout a variable name must not start with \"md.\": variable="
                + name);
        }
        RMemshareLayout.Plan plan;
        try {
            plan = RMemshareLayout.plan(contents.kind(), contents.shapes());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot register in R memshare's layout: variable=" + name + ", "
                + e.getMessage(), e);
        }
        String dataName = dataName(name);
        String metadataName = metadataName(name);
        if (store.exists(metadataName)) {
            // Checked first so that a name R registered is reported without creating anything.
            throw alreadyRegistered(store, name, metadataName);
        }
        MappedSegment data;
        try {
            data = store.create(dataName, plan.dataBytes());
        } catch (SegmentExistsException e) {
            throw alreadyRegistered(store, name, dataName);
        }
        try (data) {
            RMemshareLayout.writeOffsetTable(data.segment(), plan);
            contents.fill(data.segment(), plan.arrays());
            MappedSegment metadata;
            try {
                metadata = store.create(metadataName, plan.metadataBytes());
            } catch (SegmentExistsException e) {
                throw alreadyRegistered(store, name, metadataName);
            }
            try (metadata) {
                RMemshareLayout.writeMetadata(metadata.segment(), plan);
                return new Page(layout(), List.of(new Page.StoredFile(metadataName, metadata.fileKey()),
                    new Page.StoredFile(dataName, data.fileKey())));
            } catch (RuntimeException | Error e) {
                store.unlink(metadataName);
                throw e;
            }
        } catch (RuntimeException | Error e) {
            store.unlink(dataName);
            throw e;
        }
    }

    private static AlreadyRegisteredException alreadyRegistered(SegmentStore store, QualifiedName name, String object) {
        return new AlreadyRegisteredException("variable already registered: variable=" + name
            + ", layout=" + StorageLayout.R_MEMSHARE.label() + ", path=" + store.directory().resolve(object));
    }

    /** Maps the metadata read-only and only while decoding, the data with {@code access}. */
    @Override
    public Opened open(SegmentStore store, QualifiedName name, Access access) {
        String metadataName = metadataName(name);
        String dataName = dataName(name);
        for (String object : List.of(metadataName, dataName)) {
            // An empty object cannot be mapped; report it as what it is, a malformed variable.
            if (store.size(object).orElse(-1L) == 0) {
                throw new SegmentFormatException("R-layout object is empty: variable=" + name + ", object=" + object
                    + ", directory=" + store.directory());
            }
        }
        MappedSegment metadata;
        try {
            metadata = store.open(metadataName, Access.READ_ONLY);
        } catch (SegmentNotFoundException e) {
            throw notRegistered(store, name, metadataName);
        }
        try (metadata) {
            MappedSegment data;
            try {
                data = store.open(dataName, access);
            } catch (SegmentNotFoundException e) {
                throw notRegistered(store, name, dataName);
            }
            try {
                return new Opened(data, RMemshareLayout.read(metadata.segment(), data.segment(), name.toString()));
            } catch (RuntimeException | Error e) {
                data.close();
                throw e;
            }
        }
    }

    /** The data object carries no header to check again; its size was checked against the mapping. */
    @Override
    public void revalidate(MemorySegment data, QualifiedName name) {
    }

    @Override
    public boolean exists(SegmentStore store, QualifiedName name) {
        return store.exists(dataName(name)) && store.exists(metadataName(name));
    }

    @Override
    public UnknownVariableException notRegistered(SegmentStore store, QualifiedName name, String missing) {
        return new UnknownVariableException("variable not registered: variable=" + name + ", layout="
            + layout().label() + ", missing=" + missing + ", directory=" + store.directory());
    }

    /**
     * Every pair {@code <ns>.md.<var>} + {@code <ns>.<var>} whose metadata object reads as R-layout
     * records. Another program's files (wrong size, unknown type code) are not listed; a pair with
     * valid records that do not match the data is listed as {@link SegmentCensus.State#INVALID}.
     */
    @Override
    public List<SegmentCensus.Entry> census(SegmentStore store, List<String> names) {
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
            if (present.contains(dataName(name))) {
                inspect(store, name).ifPresent(entries::add);
            }
        }
        return entries;
    }

    @Override
    public List<String> fileNames(QualifiedName name) {
        return List.of(metadataName(name), dataName(name));
    }

    @Override
    public Optional<SegmentCensus.Entry> inspect(SegmentStore store, QualifiedName name) {
        String dataName = dataName(name);
        try (MappedSegment metadata = store.open(metadataName(name), Access.READ_ONLY)) {
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
                    Metadata decoded = Metadata.of(name, header, layout());
                    return Optional.of(new SegmentCensus.Entry(name, dataName, layout(), SegmentCensus.State.READY,
                        decoded.kind(), decoded.elementType(), decoded.shape(), bytes, ProcessIdentity.UNKNOWN, false));
                } catch (SegmentFormatException e) {
                    return Optional.of(new SegmentCensus.Entry(name, dataName, layout(), SegmentCensus.State.INVALID,
                        null, null, List.of(), bytes, ProcessIdentity.UNKNOWN, false));
                }
            }
        } catch (UntrustedSegmentException e) {
            return Optional.of(SegmentCensus.refused(name, dataName, layout(), e));
        } catch (IllegalStateException | UncheckedIOException e) {
            return Optional.empty(); // removed meanwhile, or unreadable: not ours to judge
        }
    }
}

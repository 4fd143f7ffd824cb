package org.memshare.registry;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.function.BiConsumer;
import org.memshare.format.Kind;
import org.memshare.format.RMemshareLayout;
import org.memshare.format.SegmentFormatException;
import org.memshare.format.SegmentHeader;
import org.memshare.format.Shape;
import org.memshare.segment.Access;
import org.memshare.segment.MappedSegment;
import org.memshare.segment.InvalidNameException;
import org.memshare.segment.SegmentExistsException;
import org.memshare.segment.SegmentNotFoundException;
import org.memshare.segment.SegmentStore;

/**
 * The two objects of a variable in R memshare's layout ({@link RMemshareLayout}): creating them
 * exclusively and all-or-nothing, and opening them validated. Used by {@link MemShare} for
 * {@link StorageLayout#R_MEMSHARE}; holds no state.
 */
final class RMemshareObjects {
    private RMemshareObjects() {
    }

    /** The file identities of a registered variable's objects, to unlink exactly those later. */
    record Created(String dataName, Object dataKey, String metadataName, Object metadataKey) {
    }

    /** An opened variable: its data mapping (owned by the caller) and its decoded layout. */
    record Opened(MappedSegment data, SegmentHeader header) {
    }

    /** @return the data object's name of a variable */
    static String dataName(QualifiedName name) {
        return RMemshareLayout.dataName(name.namespace(), name.variable());
    }

    /** @return the metadata object's name of a variable */
    static String metadataName(QualifiedName name) {
        return RMemshareLayout.metadataName(name.namespace(), name.variable());
    }

    /**
     * Creates both objects (mode 0600, space reserved): the data object first and filled, then the
     * metadata object, so an R reader that finds the metadata finds complete data. If anything fails,
     * the objects this call created are removed and nothing is left behind.
     *
     * @param filler copies the variable's doubles into the data object at the plan's placements
     * @throws AlreadyRegisteredException when either object exists, naming which
     * @throws IllegalArgumentException when the variable cannot be stored in this layout
     */
    static Created create(SegmentStore store, QualifiedName name, Kind kind, List<Shape> shapes,
                          BiConsumer<MemorySegment, SegmentHeader> filler) {
        if (name.variable().startsWith("md.")) {
            // Its data object <ns>.md.<rest> would be the metadata object of the variable <rest>.
            throw new InvalidNameException("in R memshare's layout a variable name must not start with \"md.\": variable="
                + name);
        }
        RMemshareLayout.Plan plan;
        try {
            plan = RMemshareLayout.plan(kind, shapes);
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
            filler.accept(data.segment(), plan.header());
            Object dataKey = data.fileKey();
            MappedSegment metadata;
            try {
                metadata = store.create(metadataName, plan.metadataBytes());
            } catch (SegmentExistsException e) {
                throw alreadyRegistered(store, name, metadataName);
            }
            try (metadata) {
                RMemshareLayout.writeMetadata(metadata.segment(), plan);
                return new Created(dataName, dataKey, metadataName, metadata.fileKey());
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

    /**
     * Maps a variable: the metadata read-only and only while decoding, the data with {@code access}.
     *
     * @throws UnknownVariableException when either object is missing
     * @throws org.memshare.format.SegmentFormatException when they are malformed or inconsistent
     */
    static Opened open(SegmentStore store, QualifiedName name, Access access) {
        for (String object : List.of(metadataName(name), dataName(name))) {
            // An empty object cannot be mapped; report it as what it is, a malformed variable.
            if (store.size(object).orElse(-1L) == 0) {
                throw new SegmentFormatException("R-layout object is empty: variable=" + name + ", object=" + object
                    + ", directory=" + store.directory());
            }
        }
        MappedSegment metadata;
        try {
            metadata = store.open(metadataName(name), Access.READ_ONLY);
        } catch (SegmentNotFoundException e) {
            throw unknown(store, name, metadataName(name));
        }
        try (metadata) {
            MappedSegment data;
            try {
                data = store.open(dataName(name), access);
            } catch (SegmentNotFoundException e) {
                throw unknown(store, name, dataName(name));
            }
            try {
                return new Opened(data, RMemshareLayout.read(metadata.segment(), data.segment(), name.toString()));
            } catch (RuntimeException | Error e) {
                data.close();
                throw e;
            }
        }
    }

    private static UnknownVariableException unknown(SegmentStore store, QualifiedName name, String missing) {
        return new UnknownVariableException("variable not registered: variable=" + name + ", layout="
            + StorageLayout.R_MEMSHARE.label() + ", missing=" + missing + ", directory=" + store.directory());
    }
}

package org.memshare.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.memshare.format.ArrayPlacement;
import org.memshare.format.Kind;
import org.memshare.format.SegmentFormatException;
import org.memshare.format.SegmentHeader;
import org.memshare.format.SegmentLayout;
import org.memshare.format.Shape;
import org.memshare.segment.Access;
import org.memshare.segment.MappedSegment;
import org.memshare.segment.ProcessIdentity;
import org.memshare.segment.SegmentExistsException;
import org.memshare.segment.SegmentFile;
import org.memshare.segment.SegmentNotFoundException;
import org.memshare.segment.SegmentOutput;
import org.memshare.segment.SegmentStore;
import org.memshare.segment.UntrustedSegmentException;

/**
 * This process's registry of shared variables in one segment directory, in R memshare's vocabulary:
 * register variables under a namespace (they become this process's <em>pages</em>), retrieve
 * zero-copy <em>views</em> of variables any process registered, release both by name.
 *
 * <p>Lifecycle. Releasing a page removes its name at once (no new views anywhere), but memory is
 * reclaimed only when every view, in every process, has let go. Views are reference-counted: each
 * retrieve takes a reference, each release gives one back. When the JVM shuts down (normal exit,
 * SIGTERM, SIGINT) the segment store unlinks this process's pages, and a page still being
 * registered, without waiting for any lock (see {@link SegmentStore}). All methods are thread-safe.
 *
 * {@snippet :
 * MemShare memShare = MemShare.system();                       // segments in /dev/shm
 * memShare.registerVariables("ns", Map.of(
 *         "X", Variable.matrix(2, 3, new double[] {1, 2, 3, 4, 5, 6}),
 *         "y", new double[] {1, 2}));
 * try (MatrixView x = memShare.retrieveMatrix("ns", "X")) {    // zero-copy, read-only
 *     double x12 = x.get(1, 2);                                // 6.0
 * }
 * memShare.releaseVariables("ns", "X", "y");
 * }
 */
public final class MemShare {
    private static final Map<Path, MemShare> INSTANCES = new ConcurrentHashMap<>();
    /** Data registered from a channel passes through one direct buffer of this size, not the heap. */
    private static final int STREAM_BUFFER_BYTES = 4 << 20;

    private final SegmentStore store;
    private final Map<Mapping.Key, Mapping> mappings = new HashMap<>();
    private final Map<QualifiedName, ArrayDeque<ViewHandle>> views = new LinkedHashMap<>();
    private final Map<QualifiedName, Page> pages = new LinkedHashMap<>();

    /**
     * A variable this process registered: the file it created, to unlink exactly that file; for R
     * memshare's layout also the metadata object ({@code null} names otherwise).
     */
    private record Page(String segmentName, Object fileKey, String metadataName, Object metadataFileKey) {
        Page(String segmentName, Object fileKey) {
            this(segmentName, fileKey, null, null);
        }
    }

    private MemShare(SegmentStore store) {
        this.store = store;
    }

    /** @return the registry over this machine's shared memory ({@code /dev/shm}, or {@code memshare.dir}) */
    public static MemShare system() {
        return forStore(SegmentStore.system());
    }

    /**
     * @param directory a segment directory on a memory file system
     * @return the registry of this process for that directory (one per directory)
     */
    public static MemShare forDirectory(Path directory) {
        return forStore(SegmentStore.forDirectory(directory));
    }

    private static MemShare forStore(SegmentStore store) {
        return INSTANCES.computeIfAbsent(store.directory(), d -> new MemShare(store));
    }

    /** @return the segment store underneath */
    public SegmentStore store() {
        return store;
    }

    // ---------------------------------------------------------------- registration

    /**
     * Registers one variable (copies it once into shared memory).
     *
     * @param value a {@link Variable}, or plain data accepted by {@link Variable#of(Object)}
     * @throws AlreadyRegisteredException when the name exists, in any process
     */
    public void register(String namespace, String name, Object value) {
        registerVariables(namespace, Collections.singletonList(name), Collections.singletonList(value));
    }

    /**
     * Registers several variables, all or none: if one fails, those registered by this call are
     * released again before the exception propagates.
     *
     * @param variables name to value ({@link Variable} or plain data, see {@link Variable#of(Object)})
     */
    public void registerVariables(String namespace, Map<String, ?> variables) {
        registerVariables(namespace, variables, StorageLayout.MEMSHARE);
    }

    /**
     * Registers several variables given as parallel lists, all or none.
     *
     * @throws IllegalArgumentException for lists of different sizes or a name given twice
     */
    public void registerVariables(String namespace, List<String> names, List<?> values) {
        registerVariables(namespace, names, values, StorageLayout.MEMSHARE);
    }

    /**
     * Registers several variables in the given storage layout, all or none. With
     * {@link StorageLayout#R_MEMSHARE} each variable becomes R memshare's two objects
     * {@code <ns>.<var>} and {@code <ns>.md.<var>} (see {@link org.memshare.format.RMemshareLayout}),
     * which R's {@code retrieveViews(ns, var)} reads; that layout holds double vectors, double
     * matrices and lists of these only, and records no owner (so {@code gc} never reclaims it) and no
     * column names (a {@link Variable.Matrix}'s are left out).
     *
     * {@snippet :
     * memShare.registerVariables("ns", Map.of("X", Variable.matrix(2, 2, new double[] {1, 2, 3, 4})),
     *         StorageLayout.R_MEMSHARE);           // R: memshare::retrieveViews("ns", "X")
     * memShare.releaseVariables("ns", "X");        // unlinks ns.X and ns.md.X
     * }
     *
     * @param layout {@link StorageLayout#MEMSHARE} (the default of the other overloads) or
     *     {@link StorageLayout#R_MEMSHARE}
     * @throws IllegalArgumentException for a value the layout cannot hold (for example an int vector
     *     in R's layout), lists of different sizes or a name given twice
     * @throws AlreadyRegisteredException when a name exists in that layout, or is a page of this process
     */
    public void registerVariables(String namespace, Map<String, ?> variables, StorageLayout layout) {
        Objects.requireNonNull(variables, "variables");
        List<String> names = new ArrayList<>(variables.size());
        List<Object> values = new ArrayList<>(variables.size());
        for (Map.Entry<String, ?> entry : variables.entrySet()) {
            names.add(entry.getKey());
            values.add(entry.getValue());
        }
        registerVariables(namespace, names, values, layout);
    }

    /** Registers variables given as parallel lists in the given layout, all or none. */
    public void registerVariables(String namespace, List<String> names, List<?> values, StorageLayout layout) {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(values, "values");
        if (names.size() != values.size()) {
            throw new IllegalArgumentException("names and values differ in size: names=" + names.size()
                + ", values=" + values.size());
        }
        List<QualifiedName> qualified = qualify(namespace, names);
        List<Variable> variables = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new NullPointerException("value must not be null: variable=" + qualified.get(i));
            }
            try {
                variables.add(Variable.of(values.get(i)));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("invalid value for variable=" + qualified.get(i) + ": " + e.getMessage(), e);
            }
        }
        List<QualifiedName> done = new ArrayList<>();
        try {
            for (int i = 0; i < variables.size(); i++) {
                Variable variable = variables.get(i);
                if (layout == StorageLayout.R_MEMSHARE) {
                    createInRLayout(qualified.get(i), variable.kind(), variable.shapes(),
                        (segment, header) -> copyIn(variable, segment, header));
                } else {
                    createByWriting(qualified.get(i), variable);
                }
                done.add(qualified.get(i));
            }
        } catch (RuntimeException | Error e) {
            for (QualifiedName name : done) {
                releasePage(name);
            }
            throw e;
        }
    }

    /**
     * Registers an array whose data is written in place by {@code writer}, for data that should not
     * pass through the heap (a file loaded straight into shared memory). If the writer throws, nothing
     * is left behind.
     *
     * @param shape the array's kind, element type and dimensions
     * @param writer receives the writable data segment (zero-filled, 64-byte aligned)
     */
    public void register(String namespace, String name, Shape shape, Consumer<MemorySegment> writer) {
        register(namespace, name, shape, writer, StorageLayout.MEMSHARE);
    }

    /**
     * Registers an array written in place by {@code writer}, in the given storage layout (R
     * memshare's takes double vectors and matrices only). If the writer throws, nothing is left behind.
     *
     * {@snippet :
     * memShare.register("ns", "X", Shape.matrix(ElementType.DOUBLE, 1000, 50),
     *         data -> file.copyInto(data), StorageLayout.R_MEMSHARE);   // R: retrieveViews("ns", "X")
     * }
     */
    public void register(String namespace, String name, Shape shape, Consumer<MemorySegment> writer,
                         StorageLayout layout) {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(writer, "writer");
        QualifiedName qualified = new QualifiedName(namespace, name);
        Filler inPlace = inPlace(writer);
        if (layout == StorageLayout.R_MEMSHARE) {
            createInRLayout(qualified, shape.kind(), List.of(shape), inPlace);
        } else {
            create(qualified, shape.kind(), List.of(shape), List.of(), inPlace);
        }
    }

    /**
     * Registers a matrix written in place by {@code writer}, with column names stored beside it
     * (this library's layout; R memshare's has no place for names). If the writer throws, nothing is
     * left behind.
     *
     * {@snippet :
     * memShare.register("ns", "X", Shape.matrix(ElementType.DOUBLE, 1000, 2), List.of("age", "dose"),
     *         data -> file.copyInto(data));
     * }
     *
     * @param namespace the namespace
     * @param name the variable
     * @param shape a matrix shape
     * @param columnNames one distinct, non-empty name per column, or empty for none
     * @param writer receives the writable data segment (zero-filled, 64-byte aligned)
     * @throws IllegalArgumentException for names that do not fit the shape
     * @throws AlreadyRegisteredException when the name exists, in any process
     */
    public void register(String namespace, String name, Shape shape, List<String> columnNames,
                         Consumer<MemorySegment> writer) {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(columnNames, "columnNames");
        Objects.requireNonNull(writer, "writer");
        create(new QualifiedName(namespace, name), shape.kind(), List.of(shape), columnNames, inPlace(writer));
    }

    /** A filler that hands the single array's data to a writer. */
    private static Filler inPlace(Consumer<MemorySegment> writer) {
        return (segment, header) -> {
            ArrayPlacement array = header.single();
            writer.accept(segment.asSlice(array.offset(), array.shape().dataBytes()));
        };
    }

    private interface Filler {
        void fill(MemorySegment segment, SegmentHeader header);
    }

    private void create(QualifiedName name, Kind kind, List<Shape> shapes, List<String> columnNames, Filler filler) {
        checkNotAPage(name);
        SegmentHeader header = SegmentLayout.plan(kind, shapes, columnNames, ProcessIdentity.current(),
            System.currentTimeMillis());
        String segmentName = name.segmentName();
        MappedSegment created;
        try {
            created = store.create(segmentName, header.totalBytes(), pendingHeader(header));
        } catch (SegmentExistsException e) {
            throw alreadyRegistered(name, segmentName);
        }
        // The creating mapping is not kept: views map on their own, so that a thread pool in this
        // process and worker processes read the data on equal terms, and release unmaps everything.
        try (created) {
            filler.fill(created.segment(), header);
            SegmentLayout.writeNames(created.segment(), header);
            SegmentLayout.publish(created.segment());
            synchronized (this) {
                pages.put(name, new Page(segmentName, created.fileKey()));
            }
        } catch (RuntimeException | Error e) {
            store.unlink(segmentName);
            throw e;
        }
    }

    /** One name is one page per process, whichever layout it was registered in. */
    private synchronized void checkNotAPage(QualifiedName name) {
        Page page = pages.get(name);
        if (page != null) {
            throw new AlreadyRegisteredException("variable already registered by this process: variable=" + name
                + ", layout=" + (page.metadataName() == null ? StorageLayout.MEMSHARE : StorageLayout.R_MEMSHARE).label());
        }
    }

    private void createInRLayout(QualifiedName name, Kind kind, List<Shape> shapes, Filler filler) {
        checkNotAPage(name);
        RMemshareObjects.Created created = RMemshareObjects.create(store, name, kind, shapes, filler::fill);
        synchronized (this) {
            pages.put(name, new Page(created.dataName(), created.dataKey(), created.metadataName(), created.metadataKey()));
        }
    }

    /**
     * Header and list directory with the pending magic, to be written the moment the file exists: a
     * registration killed at any later point leaves an orphan whose owner {@code gc} can judge.
     */
    private static MemorySegment pendingHeader(SegmentHeader header) {
        MemorySegment bytes = MemorySegment.ofArray(new long[Math.toIntExact(SegmentLayout.dataOffset(header) / 8)]);
        SegmentLayout.writePending(bytes, header);
        return bytes;
    }

    private AlreadyRegisteredException alreadyRegistered(QualifiedName name, String segmentName) {
        return new AlreadyRegisteredException("variable already registered: variable=" + name
            + describeOwner(segmentName) + ", path=" + store.directory().resolve(segmentName));
    }

    private String describeOwner(String segmentName) {
        try (MappedSegment existing = store.open(segmentName, Access.READ_ONLY)) {
            ProcessIdentity owner = SegmentLayout.ownerOrNull(existing.segment());
            if (owner == null) {
                return ", owner=unknown";
            }
            return ", ownerPid=" + owner.pid() + (owner.isAlive() ? "" : " (dead: run 'memshare gc' to reclaim)");
        } catch (UntrustedSegmentException e) {
            return ", existing file refused: " + e.detail();
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static void copyIn(Variable variable, MemorySegment target, SegmentHeader header) {
        List<MemorySegment> data = dataOf(variable);
        for (int i = 0; i < data.size(); i++) {
            MemorySegment.copy(data.get(i), 0, target, header.arrays().get(i).offset(), data.get(i).byteSize());
        }
    }

    /** @return the data of each array of the variable, in the order of its shapes */
    private static List<MemorySegment> dataOf(Variable variable) {
        return switch (variable) {
            case Variable.Vector v -> List.of(v.data());
            case Variable.Matrix m -> List.of(m.data());
            case Variable.ListOf list -> list.elements().stream().flatMap(element -> dataOf(element).stream()).toList();
        };
    }

    /**
     * Registers data that is already in memory with positional writes (see
     * {@link SegmentStore#createByWriting}): header with the pending magic first, the data, then the
     * ready magic last, as the publication rule of {@link SegmentLayout} asks.
     */
    private void createByWriting(QualifiedName name, Variable variable) {
        List<MemorySegment> data = dataOf(variable);
        createByWriting(name, variable.kind(), variable.shapes(),
            variable instanceof Variable.Matrix matrix ? matrix.columnNames() : List.of(), (output, header) -> {
            for (int i = 0; i < data.size(); i++) {
                output.write(header.arrays().get(i).offset(), data.get(i));
            }
        });
    }

    private void createByWriting(QualifiedName name, Kind kind, List<Shape> shapes, List<String> columnNames,
                                 BiConsumer<SegmentOutput, SegmentHeader> writer) {
        checkNotAPage(name);
        SegmentHeader header = SegmentLayout.plan(kind, shapes, columnNames, ProcessIdentity.current(),
            System.currentTimeMillis());
        MemorySegment readyMagic = MemorySegment.ofArray(new long[1]);
        SegmentLayout.publish(readyMagic);
        String segmentName = name.segmentName();
        SegmentFile file;
        try {
            file = store.createByWriting(segmentName, header.totalBytes(), pendingHeader(header), output -> {
                writer.accept(output, header);
                if (!header.columnNames().isEmpty()) {
                    output.write(SegmentLayout.namesOffset(header), SegmentLayout.namesBlock(header));
                }
                output.write(SegmentLayout.MAGIC_OFFSET, readyMagic);
            });
        } catch (SegmentExistsException e) {
            throw alreadyRegistered(name, segmentName);
        }
        synchronized (this) {
            pages.put(name, new Page(segmentName, file.fileKey()));
        }
    }

    /**
     * Registers an array whose data is read from {@code source}, streaming: the data goes through one
     * buffer of a few MiB into the segment with positional writes, so the heap never holds it and each
     * byte is written once, in either store. This is how a file larger than memory is registered (a
     * binary matrix file positioned at its data, for example). If reading fails or the source ends
     * early, nothing is left behind.
     *
     * {@snippet :
     * try (FileChannel file = FileChannel.open(path).position(dataOffset)) {
     *     memShare.registerFrom("ns", "X", Shape.matrix(ElementType.DOUBLE, nrow, ncol), file);
     * }
     * }
     *
     * @param namespace the namespace
     * @param name the variable's name
     * @param shape the array's kind, element type and dimensions
     * @param source the data's bytes as the segment holds them (column-major, little-endian), exactly
     *     {@link Shape#dataBytes()} of them; read from its current position and not closed
     * @throws AlreadyRegisteredException when the name exists, in any process
     * @throws IllegalArgumentException when the source ends before {@link Shape#dataBytes()} bytes
     * @throws java.io.UncheckedIOException when reading the source fails
     */
    public void registerFrom(String namespace, String name, Shape shape, ReadableByteChannel source) {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(source, "source");
        QualifiedName qualified = new QualifiedName(namespace, name);
        createByWriting(qualified, shape.kind(), List.of(shape), List.of(), (output, header) -> {
            ArrayPlacement array = header.single();
            long bytes = array.shape().dataBytes();
            ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(STREAM_BUFFER_BYTES, Math.max(1, bytes)));
            try {
                for (long done = 0; done < bytes; ) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), bytes - done));
                    while (buffer.hasRemaining()) {
                        if (source.read(buffer) < 0) {
                            throw new IllegalArgumentException("source ended early: variable=" + qualified
                                + ", expected=" + bytes + ", read=" + (done + buffer.position()));
                        }
                    }
                    output.write(array.offset() + done, MemorySegment.ofBuffer(buffer.flip()));
                    done += buffer.limit();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the data of variable=" + qualified, e);
            }
        });
    }

    // ---------------------------------------------------------------- views

    /** Retrieves read-only views; see {@link #retrieveViews(String, Access, String...)}. */
    public List<View> retrieveViews(String namespace, String... names) {
        return retrieveViews(namespace, Access.READ_ONLY, names);
    }

    /**
     * Retrieves one new view per name, all or none.
     *
     * @param access {@link Access#READ_ONLY} (the default) or {@link Access#READ_WRITE}
     * @throws UnknownVariableException naming the first variable that is not registered
     * @throws SegmentFormatException when a segment is not a valid memshare segment
     */
    public List<View> retrieveViews(String namespace, Access access, String... names) {
        return retrieveViews(namespace, access, StorageLayout.MEMSHARE, names);
    }

    /**
     * Retrieves one new view per name from the given storage layout, all or none. With
     * {@link StorageLayout#R_MEMSHARE} this views what R's {@code registerVariables} made (or what
     * {@link #registerVariables(String, Map, StorageLayout)} made in that layout); the views are the
     * same classes, with {@link Metadata#layout()} {@code R_MEMSHARE}, owner pid 0 and format version 0.
     *
     * {@snippet :
     * // R: memshare::registerVariables("ns", list(X = matrix(as.numeric(1:6), 2, 3)))
     * try (MatrixView x = (MatrixView) memShare.retrieveViews("ns", Access.READ_ONLY,
     *         StorageLayout.R_MEMSHARE, "X").getFirst()) {
     *     double x12 = x.get(1, 2);                                // 6.0
     * }
     * }
     *
     * @throws UnknownVariableException when a variable (either of its objects) does not exist
     * @throws SegmentFormatException when a variable's objects are malformed, truncated or inconsistent
     */
    public List<View> retrieveViews(String namespace, Access access, StorageLayout layout, String... names) {
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(layout, "layout");
        List<QualifiedName> qualified = qualify(namespace, Arrays.asList(Objects.requireNonNull(names, "names")));
        List<View> retrieved = new ArrayList<>(qualified.size());
        synchronized (this) {
            try {
                for (QualifiedName name : qualified) {
                    ViewHandle handle = acquire(name, access, layout);
                    retrieved.add(Views.of(handle, handle.mapping().header()));
                }
            } catch (RuntimeException | Error e) {
                retrieved.forEach(View::close);
                throw e;
            }
        }
        return retrieved;
    }

    /** @return a new read-only view of one variable */
    public View retrieveView(String namespace, String name) {
        return retrieveViews(namespace, Access.READ_ONLY, name).getFirst();
    }

    /** @return a new view of one variable */
    public View retrieveView(String namespace, String name, Access access) {
        return retrieveViews(namespace, access, name).getFirst();
    }

    /** @return a new view of one variable stored in the given layout */
    public View retrieveView(String namespace, String name, Access access, StorageLayout layout) {
        return retrieveViews(namespace, access, layout, name).getFirst();
    }

    /** @return a read-only view of a vector */
    public VectorView retrieveVector(String namespace, String name) {
        return retrieveVector(namespace, name, Access.READ_ONLY);
    }

    /** @return a view of a vector (a raw segment reads as a byte vector) */
    public VectorView retrieveVector(String namespace, String name, Access access) {
        return expect(retrieveView(namespace, name, access), VectorView.class, "vector");
    }

    /** @return a read-only view of a matrix */
    public MatrixView retrieveMatrix(String namespace, String name) {
        return retrieveMatrix(namespace, name, Access.READ_ONLY);
    }

    /** @return a view of a matrix */
    public MatrixView retrieveMatrix(String namespace, String name, Access access) {
        return expect(retrieveView(namespace, name, access), MatrixView.class, "matrix");
    }

    /** @return a read-only view of a list */
    public ListView retrieveList(String namespace, String name) {
        return expect(retrieveView(namespace, name, Access.READ_ONLY), ListView.class, "list");
    }

    private static <T extends View> T expect(View view, Class<T> type, String kind) {
        if (type.isInstance(view)) {
            return type.cast(view);
        }
        view.close();
        throw new IllegalArgumentException("variable is not a " + kind + ": variable=" + view.name()
            + ", kind=" + view.metadata().kind().label());
    }

    /**
     * Metadata of variables. As in R memshare, each call takes a view reference per name, which must
     * be given back with {@link #releaseViews}.
     */
    public List<Metadata> retrieveMetadata(String namespace, String... names) {
        List<Metadata> metadata = new ArrayList<>(names.length);
        for (View view : retrieveViews(namespace, Access.READ_ONLY, names)) {
            metadata.add(view.metadata());
        }
        return metadata;
    }

    /**
     * Metadata of one variable without taking a reference.
     *
     * @throws UnknownVariableException when it is not registered
     */
    public Metadata metadata(String namespace, String name) {
        try (View view = retrieveView(namespace, name)) {
            return view.metadata();
        }
    }

    /** @return whether a variable of that name is registered now, by any process */
    public boolean exists(String namespace, String name) {
        return store.exists(new QualifiedName(namespace, name).segmentName());
    }

    /** @return whether a variable of that name is registered now in the given layout (R's: both objects) */
    public boolean exists(String namespace, String name, StorageLayout layout) {
        QualifiedName qualified = new QualifiedName(namespace, name);
        return layout == StorageLayout.R_MEMSHARE
            ? store.exists(RMemshareObjects.dataName(qualified)) && store.exists(RMemshareObjects.metadataName(qualified))
            : store.exists(qualified.segmentName());
    }

    private ViewHandle acquire(QualifiedName name, Access access, StorageLayout layout) {
        String segmentName = layout == StorageLayout.R_MEMSHARE ? RMemshareObjects.dataName(name) : name.segmentName();
        Mapping.Key key = new Mapping.Key(segmentName, access);
        Mapping mapping = reusableMapping(name, key, layout);
        if (mapping == null) {
            mapping = map(name, key, layout);
            // A stale mapping of a file that was unlinked and re-created keeps serving its own handles.
            mappings.put(key, mapping);
        }
        mapping.acquire();
        ViewHandle handle = new ViewHandle(this, mapping, mapping.metadata(), access == Access.READ_WRITE);
        views.computeIfAbsent(name, n -> new ArrayDeque<>()).addLast(handle);
        return handle;
    }

    /**
     * A mapping this process already has of the file the name denotes now, read in the same layout:
     * one of the same access, or for a read-only view a writable one, or null.
     */
    private Mapping reusableMapping(QualifiedName name, Mapping.Key key, StorageLayout layout) {
        Mapping candidate = mappings.get(key);
        if (candidate == null && key.access() == Access.READ_ONLY) {
            candidate = mappings.get(new Mapping.Key(key.segmentName(), Access.READ_WRITE));
        }
        if (candidate == null || candidate.metadata().layout() != layout) {
            return null;
        }
        SegmentFile now = store.stat(key.segmentName()).orElseThrow(() -> layout == StorageLayout.R_MEMSHARE
            ? new UnknownVariableException("variable not registered: variable=" + name + ", layout="
                + layout.label() + ", missing=" + key.segmentName() + ", directory=" + store.directory())
            : unknown(name));
        if (!candidate.fileKey().equals(now.fileKey())) {
            return null;
        }
        // Same file: check it was not truncated or overwritten since it was mapped, as a new mapping would.
        if (now.size() != candidate.segment().byteSize()) {
            throw new SegmentFormatException("segment changed size while mapped: variable=" + name
                + ", bytes=" + now.size() + ", mapped=" + candidate.segment().byteSize());
        }
        if (layout == StorageLayout.MEMSHARE) {
            SegmentLayout.read(candidate.segment(), name.toString());
        }
        return candidate;
    }

    private Mapping map(QualifiedName name, Mapping.Key key, StorageLayout layout) {
        if (layout == StorageLayout.R_MEMSHARE) {
            RMemshareObjects.Opened opened = RMemshareObjects.open(store, name, key.access());
            return new Mapping(key, opened.data(), opened.header(), Metadata.of(name, opened.header(), layout));
        }
        MappedSegment mapped;
        try {
            mapped = store.open(key.segmentName(), key.access());
        } catch (SegmentNotFoundException e) {
            throw unknown(name);
        }
        try {
            SegmentHeader header = SegmentLayout.read(mapped.segment(), name.toString());
            return new Mapping(key, mapped, header, Metadata.of(name, header, StorageLayout.MEMSHARE));
        } catch (RuntimeException | Error e) {
            mapped.close();
            throw e;
        }
    }

    private UnknownVariableException unknown(QualifiedName name) {
        return new UnknownVariableException("variable not registered: variable=" + name
            + ", directory=" + store.directory());
    }

    /** Gives back a handle's reference if it still holds one. */
    synchronized void releaseIfHeld(ViewHandle handle) {
        if (!handle.isReleased()) {
            release(handle);
        }
    }

    /** Gives back one reference of a handle; unmaps with the last. */
    synchronized void release(ViewHandle handle) {
        if (handle.isReleased()) {
            throw new IllegalStateException("view already released: variable=" + handle.name());
        }
        ArrayDeque<ViewHandle> held = views.get(handle.name());
        if (held != null) {
            held.remove(handle);
            if (held.isEmpty()) {
                views.remove(handle.name());
            }
        }
        handle.closeArena();
        releaseReference(handle.mapping());
    }

    /**
     * Releases one view reference per name (the most recently retrieved one).
     *
     * @throws UnknownVariableException when no view of a name is held; nothing is released then
     */
    public synchronized void releaseViews(String namespace, String... names) {
        List<QualifiedName> qualified = qualify(namespace, Arrays.asList(Objects.requireNonNull(names, "names")));
        for (QualifiedName name : qualified) {
            ArrayDeque<ViewHandle> held = views.get(name);
            if (held == null || held.isEmpty()) {
                throw new UnknownVariableException("no view held in this process: variable=" + name);
            }
        }
        for (QualifiedName name : qualified) {
            release(views.get(name).getLast());
        }
    }

    /**
     * Releases pages (variables this process registered): the names disappear at once; views keep
     * working until released.
     *
     * @throws UnknownVariableException when a name is not a page of this process; nothing is released then
     */
    public synchronized void releaseVariables(String namespace, String... names) {
        List<QualifiedName> qualified = qualify(namespace, Arrays.asList(Objects.requireNonNull(names, "names")));
        for (QualifiedName name : qualified) {
            if (!pages.containsKey(name)) {
                throw new UnknownVariableException("not a variable registered by this process: variable=" + name);
            }
        }
        for (QualifiedName name : qualified) {
            releasePage(name);
        }
    }

    private synchronized void releasePage(QualifiedName name) {
        Page page = pages.remove(name);
        if (page == null) {
            return;
        }
        // R's layout: the metadata object goes first, so no reader finds metadata without its data.
        if (page.metadataName() != null) {
            Optional<Object> metadata = store.fileKey(page.metadataName());
            if (metadata.isPresent() && metadata.get().equals(page.metadataFileKey())) {
                store.unlink(page.metadataName());
            }
        }
        // Unlink only the file this process created, never one registered under the same name since.
        Optional<Object> current = store.fileKey(page.segmentName());
        if (current.isPresent() && current.get().equals(page.fileKey())) {
            store.unlink(page.segmentName());
        }
    }

    /** Gives back one reference to a mapping; the last one unmaps it. */
    private void releaseReference(Mapping mapping) {
        if (mapping.releaseLast()) {
            mapping.unmap();
            mappings.remove(mapping.key(), mapping);
        }
    }

    /**
     * Releases every view and page of a namespace in this process (R memshare's {@code memshare_gc}).
     * Views released here throw {@link ViewReleasedException} on further use.
     */
    public synchronized void releaseNamespace(String namespace) {
        QualifiedName.validateNamespace(namespace);
        for (QualifiedName name : new ArrayList<>(views.keySet())) {
            if (name.namespace().equals(namespace)) {
                for (ViewHandle handle : new ArrayList<>(views.get(name))) {
                    release(handle);
                }
            }
        }
        for (QualifiedName name : new ArrayList<>(pages.keySet())) {
            if (name.namespace().equals(namespace)) {
                releasePage(name);
            }
        }
    }

    /** @return this process's pages as {@code namespace.variable}, in registration order */
    public synchronized List<String> pageList() {
        return pages.keySet().stream().map(QualifiedName::toString).toList();
    }

    /** @return the variables this process holds views of, as {@code namespace.variable} */
    public synchronized List<String> viewList() {
        return views.keySet().stream().map(QualifiedName::toString).toList();
    }

    /** @return how many view references this process holds on a variable */
    public synchronized int viewCount(String namespace, String name) {
        ArrayDeque<ViewHandle> held = views.get(new QualifiedName(namespace, name));
        return held == null ? 0 : held.size();
    }

    /** @return the census of every segment in this registry's directory (ls and gc) */
    public SegmentCensus census() {
        return new SegmentCensus(store);
    }

    /** @return SharedObject's developer API over this registry */
    public SharedObjects sharedObjects() {
        return SharedObjects.of(this);
    }

    private static List<QualifiedName> qualify(String namespace, List<String> names) {
        QualifiedName.validateNamespace(namespace);
        List<QualifiedName> qualified = new ArrayList<>(names.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name == null) {
                throw new NullPointerException("variable name must not be null: namespace=" + namespace + ", index=" + i);
            }
            QualifiedName q = new QualifiedName(namespace, name);
            if (!seen.add(name)) {
                throw new IllegalArgumentException("variable named twice in one call: variable=" + q);
            }
            qualified.add(q);
        }
        return qualified;
    }

}

package org.memshare.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.memshare.format.SegmentFormatException;
import org.memshare.format.Shape;
import org.memshare.segment.Access;
import org.memshare.segment.StoreKind;
import org.memshare.segment.internal.SegmentFile;
import org.memshare.segment.internal.SegmentStore;

/**
 * This process's registry of shared variables in one segment directory, in R memshare's vocabulary:
 * register variables under a namespace (they become this process's <em>pages</em>), retrieve
 * zero-copy <em>views</em> of variables any process registered, release both by name.
 *
 * <p>Lifecycle. Releasing a page removes its name at once (no new views anywhere), but memory is
 * reclaimed only when every view, in every process, has let go. Views are reference-counted: each
 * retrieve takes a reference, each release gives one back. Releasing a view is immediate and cheap:
 * its next use, from any thread, throws {@link ViewReleasedException}. The mapping of a variable this
 * process registered stays, idle, for the next retrieve until the page is released; any other mapping
 * is unmapped with its last view, unless {@link #keepMappings(boolean)} keeps it while current. How
 * the files of a variable look is its {@link StorageLayout}'s business alone. When the JVM shuts down
 * (normal exit, SIGTERM, SIGINT) the segment store unlinks this process's pages, and a page still
 * being registered, without waiting for any lock. All methods are thread-safe.
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

    /** Most idle mappings kept per registry; beyond, the longest idle one is unmapped at once. */
    private static final int MAX_IDLE_MAPPINGS = 64;

    private final SegmentStore store;
    /** Every mapping of this process, in use or idle; a stale one (file re-created) may be missing. */
    private final Map<Mapping.Key, Mapping> mappings = new HashMap<>();
    private final Map<NameKey, ArrayDeque<ViewHandle>> views = new LinkedHashMap<>();
    private final Map<NameKey, Page> pages = new LinkedHashMap<>();
    /** Whether the last view of another process's variable leaves its mapping idle while it is current. */
    private boolean keepMappings;

    private MemShare(SegmentStore store) {
        this.store = store;
    }

    /**
     * A variable as a key of this process's tables: equal for names that differ only by case where the
     * store's file names do (macOS, Windows), so {@code ns.X} and {@code ns.x} are one variable here as
     * they are one file there. It keeps the name as first given, for the lists.
     */
    private record NameKey(QualifiedName name, String folded) {
        @Override
        public boolean equals(Object other) {
            return other instanceof NameKey key && key.folded.equals(folded);
        }

        @Override
        public int hashCode() {
            return folded.hashCode();
        }
    }

    private NameKey key(QualifiedName name) {
        String text = name.toString();
        return new NameKey(name, store.namesIgnoreCase() ? text.toLowerCase(Locale.ROOT) : text);
    }

    private boolean sameNamespace(String a, String b) {
        return store.namesIgnoreCase() ? a.equalsIgnoreCase(b) : a.equals(b);
    }

    /**
     * The registry of this process over the machine's shared memory: {@code /dev/shm} on Linux unless
     * the system property {@code memshare.dir} (or the environment variable {@code MEMSHARE_DIR}) names
     * another directory, and {@code memshare.store} ({@code MEMSHARE_STORE}) another segment store.
     * Every call returns the same instance.
     *
     * @return the registry over this machine's shared memory
     */
    public static MemShare system() {
        return forStore(SegmentStore.system());
    }

    /**
     * The registry of this process over another segment directory (a tmpfs mount, a test's directory).
     * Every call with the same directory returns the same instance.
     *
     * @param directory a segment directory on a memory file system
     * @return the registry of this process for that directory (one per directory)
     */
    public static MemShare forDirectory(Path directory) {
        return forStore(SegmentStore.forDirectory(directory));
    }

    /** The registry over a given store; tests reach stores the configuration cannot select (another system's name rules). */
    static MemShare forStore(SegmentStore store) {
        return INSTANCES.computeIfAbsent(store.directory(), d -> new MemShare(store));
    }

    /**
     * Where this registry's segments are files.
     *
     * @return the segment directory this registry works in
     */
    public Path directory() {
        return store.directory();
    }

    /**
     * The kind of segment store this registry works through: the POSIX store or the file store.
     *
     * @return which store keeps this registry's segments (see {@link StoreKind#configured()})
     */
    public StoreKind storeKind() {
        return store.kind();
    }

    /** @return the segment store underneath, for this package */
    SegmentStore store() {
        return store;
    }

    // ---------------------------------------------------------------- registration

    /**
     * Registers one variable (copies it once into shared memory).
     *
     * @param namespace the namespace of the variable
     * @param name the variable's name to register
     * @param value a {@link Variable}, or plain data accepted by {@link Variable#of(Object)}
     * @throws AlreadyRegisteredException when the name exists, in any process
     * @throws IllegalArgumentException for a value {@link Variable#of(Object)} does not accept
     * @throws org.memshare.segment.InvalidNameException when the namespace or a name is not a valid name
     * @throws org.memshare.segment.OutOfSharedMemoryException when the segment directory has no room for it
     */
    public void register(String namespace, String name, Object value) {
        registerVariables(namespace, Collections.singletonList(name), Collections.singletonList(value));
    }

    /**
     * Registers several variables, all or none: if one fails, those registered by this call are
     * released again before the exception propagates.
     *
     * @param namespace the namespace of the variables
     * @param variables name to value ({@link Variable} or plain data, see {@link Variable#of(Object)})
     * @throws AlreadyRegisteredException when a name exists, in any process
     * @throws IllegalArgumentException for a value {@link Variable#of(Object)} does not accept
     * @throws org.memshare.segment.InvalidNameException when the namespace or a name is not a valid name
     * @throws org.memshare.segment.OutOfSharedMemoryException when the segment directory has no room for them
     */
    public void registerVariables(String namespace, Map<String, ?> variables) {
        registerVariables(namespace, variables, StorageLayout.MEMSHARE);
    }

    /**
     * Registers several variables given as parallel lists, all or none.
     *
     * @param namespace the namespace of the variables
     * @param names variable names in {@code namespace}, each at most once
     * @param values one value per name, in the same order ({@link Variable} or plain data)
     * @throws IllegalArgumentException for lists of different sizes, a name given twice or a value
     *     {@link Variable#of(Object)} does not accept
     * @throws AlreadyRegisteredException when a name exists, in any process
     * @throws org.memshare.segment.InvalidNameException when the namespace or a name is not a valid name
     * @throws org.memshare.segment.OutOfSharedMemoryException when the segment directory has no room for them
     */
    public void registerVariables(String namespace, List<String> names, List<?> values) {
        registerVariables(namespace, names, values, StorageLayout.MEMSHARE);
    }

    /**
     * Registers several variables in the given storage layout, all or none. With
     * {@link StorageLayout#R_MEMSHARE} each variable becomes R memshare's two objects
     * {@code <ns>.<var>} and {@code <ns>.md.<var>} (see {@code docs/INTEROP.md}),
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
     * @param namespace the namespace of the variables
     * @param variables name to value ({@link Variable} or plain data, see {@link Variable#of(Object)})
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

    /**
     * Registers variables given as parallel lists in the given layout, all or none; see
     * {@link #registerVariables(String, Map, StorageLayout)} for what each layout holds.
     *
     * @param namespace the namespace of the variables
     * @param names variable names in {@code namespace}, each at most once
     * @param values one value per name, in the same order ({@link Variable} or plain data)
     * @param layout {@link StorageLayout#MEMSHARE} or {@link StorageLayout#R_MEMSHARE}
     * @throws IllegalArgumentException for a value the layout cannot hold, lists of different sizes or a
     *     name given twice
     * @throws AlreadyRegisteredException when a name exists in that layout, or is a page of this process
     * @throws org.memshare.segment.InvalidNameException when the namespace or a name is not a valid name
     * @throws org.memshare.segment.OutOfSharedMemoryException when the segment directory has no room for them
     */
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
                createPage(qualified.get(i), layout, new Contents.Copy(variables.get(i)));
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
     * @param namespace the namespace of the variable
     * @param name the variable's name to register
     * @param shape the array's kind, element type and dimensions
     * @param writer receives the writable data segment (zero-filled, 64-byte aligned); it may write
     *     from several threads, but must not keep the segment after it returns
     * @throws AlreadyRegisteredException when the name exists, in any process
     * @throws org.memshare.segment.InvalidNameException when the namespace or a name is not a valid name
     * @throws org.memshare.segment.OutOfSharedMemoryException when the segment directory has no room for it
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
     *
     * @param namespace the namespace of the variable
     * @param name the variable's name to register
     * @param shape the array's kind, element type and dimensions
     * @param writer receives the writable data segment (zero-filled); it must not keep it after it returns
     * @param layout {@link StorageLayout#MEMSHARE} or {@link StorageLayout#R_MEMSHARE}
     * @throws IllegalArgumentException for a shape the layout cannot hold
     * @throws AlreadyRegisteredException when the name exists in that layout, or is a page of this process
     * @throws org.memshare.segment.InvalidNameException when the namespace or a name is not a valid name
     * @throws org.memshare.segment.OutOfSharedMemoryException when the segment directory has no room for it
     */
    public void register(String namespace, String name, Shape shape, Consumer<MemorySegment> writer,
                         StorageLayout layout) {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(writer, "writer");
        createPage(new QualifiedName(namespace, name), layout, new Contents.InPlace(shape, List.of(), writer));
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
        createPage(new QualifiedName(namespace, name), StorageLayout.MEMSHARE,
            new Contents.InPlace(shape, List.copyOf(columnNames), writer));
    }

    /** The one way a variable is created: its layout's codec writes the files, this registry keeps the page. */
    private void createPage(QualifiedName name, StorageLayout layout, Contents contents) {
        checkNotAPage(name);
        Page page = LayoutCodec.of(layout).create(store, name, contents);
        synchronized (this) {
            pages.put(key(name), page);
        }
    }

    /** One name is one page per process, whichever layout it was registered in. */
    private synchronized void checkNotAPage(QualifiedName name) {
        Page page = pages.get(key(name));
        if (page != null) {
            throw new AlreadyRegisteredException("variable already registered by this process: variable=" + name
                + ", layout=" + page.layout().label());
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
        createPage(qualified, StorageLayout.MEMSHARE, new Contents.Streamed(qualified, shape, source));
    }

    // ---------------------------------------------------------------- views

    /**
     * Retrieves one new read-only view per name, all or none; see
     * {@link #retrieveViews(String, Access, String...)}.
     *
     * @param namespace the namespace of the names
     * @param names variable names in {@code namespace}, each at most once
     * @return the views, in the order of {@code names}; each to be closed (or released by name)
     * @throws UnknownVariableException naming the first variable that is not registered
     * @throws SegmentFormatException when a segment is not a valid memshare segment
     * @throws org.memshare.segment.InvalidNameException when the namespace or a name is not a valid name
     */
    public List<View> retrieveViews(String namespace, String... names) {
        return retrieveViews(namespace, Access.READ_ONLY, names);
    }

    /**
     * Retrieves one new view per name, all or none.
     *
     * @param namespace the namespace of the names
     * @param access {@link Access#READ_ONLY} (the default) or {@link Access#READ_WRITE}
     * @param names variable names in {@code namespace}, each at most once
     * @return the views, in the order of {@code names}; each to be closed (or released by name)
     * @throws UnknownVariableException naming the first variable that is not registered
     * @throws SegmentFormatException when a segment is not a valid memshare segment
     * @throws org.memshare.segment.UntrustedSegmentException when a segment's file is not this user's
     *     regular file, or others may write it
     * @throws org.memshare.segment.InvalidNameException when the namespace or a name is not a valid name
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
     * @param namespace the namespace of the names
     * @param access {@link Access#READ_ONLY} or {@link Access#READ_WRITE} (writes visible at once to every
     *     process that views the variable)
     * @param layout the layout the variable was registered in: {@link StorageLayout#MEMSHARE} or
     *     {@link StorageLayout#R_MEMSHARE}
     * @param names variable names in {@code namespace}, each at most once
     * @return the views, in the order of {@code names}; each to be closed (or released by name)
     * @throws UnknownVariableException when a variable (either of its objects) does not exist
     * @throws SegmentFormatException when a variable's objects are malformed, truncated or inconsistent
     * @throws org.memshare.segment.UntrustedSegmentException when a segment's file is not this user's
     *     regular file, or others may write it
     * @throws org.memshare.segment.InvalidNameException when the namespace or a name is not a valid name
     */
    public List<View> retrieveViews(String namespace, Access access, StorageLayout layout, String... names) {
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(layout, "layout");
        List<QualifiedName> qualified = qualify(namespace, Arrays.asList(Objects.requireNonNull(names, "names")));
        LayoutCodec codec = LayoutCodec.of(layout);
        List<View> retrieved = new ArrayList<>(qualified.size());
        synchronized (this) {
            try {
                for (QualifiedName name : qualified) {
                    ViewHandle handle = acquire(name, access, codec);
                    retrieved.add(Views.of(handle));
                }
            } catch (RuntimeException | Error e) {
                retrieved.forEach(View::close);
                throw e;
            }
        }
        return retrieved;
    }

    /**
     * Retrieves one new read-only view of a variable of any kind.
     *
     * @param namespace the namespace of the variable
     * @param name the variable's name in {@code namespace}
     * @return the view: a {@link VectorView}, {@link MatrixView} or {@link ListView}; to be closed
     * @throws UnknownVariableException when the variable is not registered
     * @throws SegmentFormatException when its segment is not a valid memshare segment
     */
    public View retrieveView(String namespace, String name) {
        return retrieveViews(namespace, Access.READ_ONLY, name).getFirst();
    }

    /**
     * Retrieves one new view of a variable of any kind.
     *
     * @param namespace the namespace of the variable
     * @param name the variable's name in {@code namespace}
     * @param access {@link Access#READ_ONLY} or {@link Access#READ_WRITE} (writes visible at once to every
     *     process that views the variable)
     * @return the view: a {@link VectorView}, {@link MatrixView} or {@link ListView}; to be closed
     * @throws UnknownVariableException when the variable is not registered
     * @throws SegmentFormatException when its segment is not a valid memshare segment
     */
    public View retrieveView(String namespace, String name, Access access) {
        return retrieveViews(namespace, access, name).getFirst();
    }

    /**
     * Retrieves one new view of a variable stored in the given layout.
     *
     * @param namespace the namespace of the variable
     * @param name the variable's name in {@code namespace}
     * @param access {@link Access#READ_ONLY} or {@link Access#READ_WRITE} (writes visible at once to every
     *     process that views the variable)
     * @param layout the layout the variable was registered in: {@link StorageLayout#MEMSHARE} or
     *     {@link StorageLayout#R_MEMSHARE}
     * @return the view: a {@link VectorView}, {@link MatrixView} or {@link ListView}; to be closed
     * @throws UnknownVariableException when the variable is not registered
     * @throws SegmentFormatException when its segment is not a valid memshare segment
     */
    public View retrieveView(String namespace, String name, Access access, StorageLayout layout) {
        return retrieveViews(namespace, access, layout, name).getFirst();
    }

    /**
     * Retrieves one new read-only view of a vector.
     *
     * @param namespace the namespace of the variable
     * @param name the variable's name in {@code namespace}
     * @return the view; to be closed
     * @throws UnknownVariableException when the variable is not registered
     * @throws SegmentFormatException when its segment is not a valid memshare segment
     * @throws IllegalArgumentException when the variable is not a vector (naming its kind)
     */
    public VectorView retrieveVector(String namespace, String name) {
        return retrieveVector(namespace, name, Access.READ_ONLY);
    }

    /**
     * Retrieves one new view of a vector; a raw segment reads as a byte vector.
     *
     * @param namespace the namespace of the variable
     * @param name the variable's name in {@code namespace}
     * @param access {@link Access#READ_ONLY} or {@link Access#READ_WRITE} (writes visible at once to every
     *     process that views the variable)
     * @return the view; to be closed
     * @throws UnknownVariableException when the variable is not registered
     * @throws SegmentFormatException when its segment is not a valid memshare segment
     * @throws IllegalArgumentException when the variable is not a vector (naming its kind)
     */
    public VectorView retrieveVector(String namespace, String name, Access access) {
        return expect(retrieveView(namespace, name, access), VectorView.class, "vector");
    }

    /**
     * Retrieves one new read-only view of a matrix.
     *
     * @param namespace the namespace of the variable
     * @param name the variable's name in {@code namespace}
     * @return the view; to be closed
     * @throws UnknownVariableException when the variable is not registered
     * @throws SegmentFormatException when its segment is not a valid memshare segment
     * @throws IllegalArgumentException when the variable is not a matrix (naming its kind)
     */
    public MatrixView retrieveMatrix(String namespace, String name) {
        return retrieveMatrix(namespace, name, Access.READ_ONLY);
    }

    /**
     * Retrieves one new view of a matrix.
     *
     * @param namespace the namespace of the variable
     * @param name the variable's name in {@code namespace}
     * @param access {@link Access#READ_ONLY} or {@link Access#READ_WRITE} (writes visible at once to every
     *     process that views the variable)
     * @return the view; to be closed
     * @throws UnknownVariableException when the variable is not registered
     * @throws SegmentFormatException when its segment is not a valid memshare segment
     * @throws IllegalArgumentException when the variable is not a matrix (naming its kind)
     */
    public MatrixView retrieveMatrix(String namespace, String name, Access access) {
        return expect(retrieveView(namespace, name, access), MatrixView.class, "matrix");
    }

    /**
     * Retrieves one new read-only view of a list.
     *
     * @param namespace the namespace of the variable
     * @param name the variable's name in {@code namespace}
     * @return the view; to be closed
     * @throws UnknownVariableException when the variable is not registered
     * @throws SegmentFormatException when its segment is not a valid memshare segment
     * @throws IllegalArgumentException when the variable is not a list (naming its kind)
     */
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
     *
     * @param namespace the namespace of the names
     * @param names variable names in {@code namespace}, each at most once
     * @return the metadata, in the order of {@code names}
     * @throws UnknownVariableException naming the first variable that is not registered
     * @throws SegmentFormatException when a segment is not a valid memshare segment
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
     * @param namespace the namespace of the variable
     * @param name the variable's name in {@code namespace}
     * @return its kind, element type, shape, owner and layout
     * @throws UnknownVariableException when it is not registered
     * @throws SegmentFormatException when its segment is not a valid memshare segment
     */
    public Metadata metadata(String namespace, String name) {
        try (View view = retrieveView(namespace, name)) {
            return view.metadata();
        }
    }

    /**
     * Whether a variable of that name exists in this library's layout; the answer may change at once,
     * as other processes register and release.
     *
     * @param namespace the namespace of the variable
     * @param name the variable's name in {@code namespace}
     * @return whether a variable of that name is registered now, by any process
     * @throws org.memshare.segment.InvalidNameException when the namespace or a name is not a valid name
     */
    public boolean exists(String namespace, String name) {
        return exists(namespace, name, StorageLayout.MEMSHARE);
    }

    /**
     * Whether a variable of that name exists in the given layout.
     *
     * @param namespace the namespace of the variable
     * @param name the variable's name in {@code namespace}
     * @param layout the layout the variable was registered in: {@link StorageLayout#MEMSHARE} or
     *     {@link StorageLayout#R_MEMSHARE}
     * @return whether a variable of that name is registered now in the given layout (R's: both objects)
     * @throws org.memshare.segment.InvalidNameException when the namespace or a name is not a valid name
     */
    public boolean exists(String namespace, String name, StorageLayout layout) {
        return LayoutCodec.of(layout).exists(store, new QualifiedName(namespace, name));
    }

    private ViewHandle acquire(QualifiedName name, Access access, LayoutCodec codec) {
        Mapping.Key key = new Mapping.Key(codec.dataName(name), access);
        Mapping mapping = reusableMapping(name, key, codec);
        if (mapping == null) {
            LayoutCodec.Opened opened = codec.open(store, name, access);
            mapping = new Mapping(key, opened.data(), opened.header(), Metadata.of(name, opened.header(), codec.layout()));
            // A stale mapping of a file that was unlinked and re-created keeps serving its own handles.
            Mapping stale = mappings.put(key, mapping);
            if (stale != null && stale.isIdle()) {
                stale.unmap();
            }
        }
        mapping.acquire();
        ViewHandle handle = new ViewHandle(this, mapping, access == Access.READ_WRITE);
        views.computeIfAbsent(key(name), n -> new ArrayDeque<>()).addLast(handle);
        return handle;
    }

    /**
     * A mapping this process already has (in use or idle) of the file the name denotes now, read in
     * the same layout: one of the same access, or for a read-only view a writable one, or null. It is
     * checked as a new mapping would be: same file, same size, and valid for its layout.
     */
    private Mapping reusableMapping(QualifiedName name, Mapping.Key key, LayoutCodec codec) {
        Mapping candidate = mappings.get(key);
        if (candidate == null && key.access() == Access.READ_ONLY) {
            candidate = mappings.get(new Mapping.Key(key.segmentName(), Access.READ_WRITE));
        }
        if (candidate == null || candidate.metadata().layout() != codec.layout()) {
            return null;
        }
        Optional<SegmentFile> now = store.stat(key.segmentName());
        if (now.isEmpty() || !candidate.fileKey().equals(now.get().fileKey())) {
            if (candidate.isIdle()) {
                discard(candidate);
            }
            if (now.isEmpty()) {
                throw codec.notRegistered(store, name, key.segmentName());
            }
            return null;
        }
        // Same file: check it was not truncated or overwritten since it was mapped, as a new mapping would.
        if (now.get().size() != candidate.segment().byteSize()) {
            throw new SegmentFormatException("segment changed size while mapped: variable=" + name
                + ", bytes=" + now.get().size() + ", mapped=" + candidate.segment().byteSize());
        }
        codec.revalidate(candidate.segment(), name);
        return candidate;
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
        NameKey key = key(handle.name());
        ArrayDeque<ViewHandle> held = views.get(key);
        if (held != null) {
            held.remove(handle);
            if (held.isEmpty()) {
                views.remove(key);
            }
        }
        handle.markReleased();
        releaseReference(handle.mapping());
    }

    /**
     * Releases one view reference per name (the most recently retrieved one).
     *
     * @param namespace the namespace of the names
     * @param names variable names in {@code namespace}, each at most once
     * @throws UnknownVariableException when no view of a name is held; nothing is released then
     */
    public synchronized void releaseViews(String namespace, String... names) {
        List<QualifiedName> qualified = qualify(namespace, Arrays.asList(Objects.requireNonNull(names, "names")));
        for (QualifiedName name : qualified) {
            ArrayDeque<ViewHandle> held = views.get(key(name));
            if (held == null || held.isEmpty()) {
                throw new UnknownVariableException("no view held in this process: variable=" + name);
            }
        }
        for (QualifiedName name : qualified) {
            release(views.get(key(name)).getLast());
        }
    }

    /**
     * Releases pages (variables this process registered): the names disappear at once; views keep
     * working until released.
     *
     * @param namespace the namespace of the names
     * @param names variable names in {@code namespace}, each at most once
     * @throws UnknownVariableException when a name is not a page of this process; nothing is released then
     */
    public synchronized void releaseVariables(String namespace, String... names) {
        List<QualifiedName> qualified = qualify(namespace, Arrays.asList(Objects.requireNonNull(names, "names")));
        for (QualifiedName name : qualified) {
            if (!pages.containsKey(key(name))) {
                throw new UnknownVariableException("not a variable registered by this process: variable=" + name);
            }
        }
        for (QualifiedName name : qualified) {
            releasePage(name);
        }
    }

    private synchronized void releasePage(QualifiedName name) {
        Page page = pages.remove(key(name));
        if (page == null) {
            return;
        }
        page.unlink(store);
        // The memory of an unlinked file is freed when its last mapping goes: unmap idle ones now.
        for (Page.StoredFile file : page.files()) {
            for (Access access : Access.values()) {
                Mapping mapping = mappings.get(new Mapping.Key(file.name(), access));
                if (mapping != null && mapping.isIdle() && mapping.fileKey().equals(file.fileKey())) {
                    discard(mapping);
                }
            }
        }
    }

    /**
     * Gives back one reference to a mapping. The last one leaves it mapped and idle, for the next
     * retrieve, while it maps a live page of this process: that memory stays allocated anyway until
     * the page is released, which unmaps it. Any other mapping (a variable of another process, which
     * may be released there at any time, or a page released or re-created meanwhile) is unmapped at
     * once, so its memory is freed as soon as every process has let go.
     */
    private void releaseReference(Mapping mapping) {
        if (!mapping.releaseLast()) {
            return;
        }
        if (mappings.get(mapping.key()) == mapping && (mapsOwnLivePage(mapping) || keepMappings && isCurrent(mapping))) {
            keepIdle();
        } else {
            discard(mapping);
        }
    }

    /** @return whether the mapping maps a page this process registered and has not released (nor re-created) */
    private boolean mapsOwnLivePage(Mapping mapping) {
        Page page = pages.get(key(mapping.metadata().name()));
        return page != null && page.holds(mapping.key().segmentName(), mapping.fileKey());
    }

    /** @return whether the mapping's name still denotes the very file mapped (not released, not re-created) */
    private boolean isCurrent(Mapping mapping) {
        try {
            return mapping.isCurrent(store);
        } catch (RuntimeException untrusted) {
            return false; // whatever is under the name now, it is not the file mapped: do not keep it
        }
    }

    /**
     * Whether the last view of a variable <em>another</em> process registered leaves its mapping idle,
     * for the next retrieve, instead of unmapping it at once (the default). For a process that views
     * the same large variables over and over, such as a worker JVM of a process cluster, this saves
     * mapping, faulting in and unmapping the data on every retrieve. An idle mapping is reused only
     * while the name still denotes the very file mapped; a variable its owner released (or released
     * and registered again) is mapped anew, never read through the old mapping. Idle mappings of
     * released variables still hold their memory until {@link #dropStaleMappings()} unmaps them, so a
     * process that keeps mappings calls it now and then (a worker JVM of a process cluster does, four
     * times a second); at most 64 idle mappings are kept.
     *
     * {@snippet :
     * memShare.keepMappings(true);
     * double total = 0;
     * for (int task = 0; task < 100; task++) {
     *     try (MatrixView x = memShare.retrieveMatrix("ns", "X")) {   // mapped once, reused while current
     *         total += x.column(task).sum();
     *     }
     * }
     * memShare.keepMappings(false);                                   // unmaps every idle one
     * }
     *
     * @param keep whether to keep idle mappings of other processes' variables; {@code false} also
     *     unmaps those kept so far
     */
    public synchronized void keepMappings(boolean keep) {
        keepMappings = keep;
        if (!keep) {
            for (Mapping mapping : new ArrayList<>(mappings.values())) {
                if (mapping.isIdle() && !mapsOwnLivePage(mapping)) {
                    discard(mapping);
                }
            }
        }
    }

    /**
     * Unmaps every idle mapping whose variable was released, or released and registered again, since
     * it was mapped: the memory of a released variable is freed once no process maps it. One
     * {@code stat} per idle mapping; mappings in use are left to their views.
     *
     * @return how many idle mappings were unmapped
     */
    public synchronized int dropStaleMappings() {
        int dropped = 0;
        for (Mapping mapping : new ArrayList<>(mappings.values())) {
            if (mapping.isIdle() && !isCurrent(mapping)) {
                discard(mapping);
                dropped++;
            }
        }
        return dropped;
    }

    /** Bounds the idle mappings (address space and map count): the longest idle one goes first. */
    private void keepIdle() {
        Mapping oldest = null;
        int idle = 0;
        for (Mapping candidate : mappings.values()) {
            if (candidate.isIdle()) {
                idle++;
                if (oldest == null || candidate.idleSinceNanos() < oldest.idleSinceNanos()) {
                    oldest = candidate;
                }
            }
        }
        if (idle > MAX_IDLE_MAPPINGS) {
            discard(oldest);
        }
    }

    /**
     * Unmaps a mapping no handle uses and forgets it. Closing its shared arena waits until no thread
     * is inside an access to it: a reader still holding a released view gets an exception.
     */
    private void discard(Mapping mapping) {
        mappings.remove(mapping.key(), mapping);
        mapping.unmap();
    }

    /** @return how many mappings this process holds, in use or idle (for tests of what must not grow) */
    synchronized int mappingCount() {
        return mappings.size();
    }

    /**
     * Releases every view and page of a namespace in this process (R memshare's {@code memshare_gc}).
     * Views released here throw {@link ViewReleasedException} on further use.
     *
     * @param namespace the namespace whose views and pages to release
     * @throws org.memshare.segment.InvalidNameException when the namespace is not a valid name
     */
    public synchronized void releaseNamespace(String namespace) {
        QualifiedName.validateNamespace(namespace);
        for (NameKey key : new ArrayList<>(views.keySet())) {
            if (sameNamespace(key.name().namespace(), namespace)) {
                for (ViewHandle handle : new ArrayList<>(views.get(key))) {
                    release(handle);
                }
            }
        }
        for (NameKey key : new ArrayList<>(pages.keySet())) {
            if (sameNamespace(key.name().namespace(), namespace)) {
                releasePage(key.name());
            }
        }
        for (Mapping mapping : new ArrayList<>(mappings.values())) {
            if (mapping.isIdle() && sameNamespace(mapping.metadata().name().namespace(), namespace)) {
                discard(mapping);
            }
        }
    }

    /**
     * R memshare's {@code pageList}: the variables this process registered and has not released.
     *
     * @return this process's pages as {@code namespace.variable}, in registration order
     */
    public synchronized List<String> pageList() {
        return pages.keySet().stream().map(key -> key.name().toString()).toList();
    }

    /**
     * R memshare's {@code viewList}: the variables this process holds at least one view of.
     *
     * @return the variables this process holds views of, as {@code namespace.variable}
     */
    public synchronized List<String> viewList() {
        return views.keySet().stream().map(key -> key.name().toString()).toList();
    }

    /**
     * How many views of a variable this process has retrieved and not released.
     *
     * @param namespace the namespace of the variable
     * @param name the variable's name in {@code namespace}
     * @return how many view references this process holds on a variable (0 for an unknown one)
     * @throws org.memshare.segment.InvalidNameException when the namespace or a name is not a valid name
     */
    public synchronized int viewCount(String namespace, String name) {
        ArrayDeque<ViewHandle> held = views.get(key(new QualifiedName(namespace, name)));
        return held == null ? 0 : held.size();
    }

    /**
     * The census of the segment directory, which lists segments of every process and reclaims
     * orphans (the command line's {@code ls} and {@code gc}).
     *
     * @return the census of every segment in this registry's directory
     */
    public SegmentCensus census() {
        return new SegmentCensus(store);
    }

    /**
     * Bioconductor SharedObject's developer API over this registry: raw shared memory by size and
     * shared arrays.
     *
     * @return SharedObject's developer API over this registry (one per registry)
     */
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

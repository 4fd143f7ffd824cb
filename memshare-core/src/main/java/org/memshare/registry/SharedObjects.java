package org.memshare.registry;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.memshare.format.ElementType;
import org.memshare.format.Kind;
import org.memshare.format.Shape;
import org.memshare.segment.Access;

/**
 * The developer API of Bioconductor's SharedObject: raw shared memory by size, plus
 * {@code share}/{@code is.shared}/{@code listSharedObjects} for arrays. Raw memory lives in the
 * reserved namespace {@value #RAW_NAMESPACE}, shared arrays in {@value #SHARE_NAMESPACE}; both are
 * ordinary memshare segments (header, owner, orphan reclamation).
 *
 * {@snippet :
 * SharedObjects so = MemShare.system().sharedObjects();
 * String id = so.allocateSharedMemory(10);                 // unnamed: id from a counter
 * MemorySegment memory = so.mapSharedMemory(id);           // read-write, 10 bytes
 * memory.set(ValueLayout.JAVA_BYTE, 0, (byte) 7);
 * so.unmapSharedMemory(id);
 * so.freeSharedMemory(id);
 * }
 */
public final class SharedObjects {
    /** Namespace of raw allocations. */
    public static final String RAW_NAMESPACE = "sharedobject";
    /** Namespace of arrays shared with {@link #share(Object)}. */
    public static final String SHARE_NAMESPACE = "shared";

    private static final Map<MemShare, SharedObjects> INSTANCES = new HashMap<>();
    private static final AtomicLong LAST_INDEX = new AtomicLong();

    private final MemShare registry;
    private final Map<String, VectorView> mapped = new HashMap<>();

    private SharedObjects(MemShare registry) {
        this.registry = registry;
    }

    static synchronized SharedObjects of(MemShare registry) {
        return INSTANCES.computeIfAbsent(registry, SharedObjects::new);
    }

    /**
     * SharedObject's {@code getLastIndex}: the counter that generated ids end with.
     *
     * @return the index of the last unnamed allocation or share of this process (0 before any)
     */
    public long getLastIndex() {
        return LAST_INDEX.get();
    }

    /**
     * Allocates zero-filled shared memory with a generated id.
     *
     * @param size bytes, at least 1
     * @return the id
     * @throws IllegalArgumentException when {@code size < 1}
     */
    public String allocateSharedMemory(long size) {
        return allocateSharedMemory(size, null);
    }

    /**
     * Allocates zero-filled shared memory.
     *
     * @param size bytes, at least 1
     * @param name the id to use; null or empty for a generated one
     * @return the id
     * @throws IllegalArgumentException when {@code size < 1}, or the id is not a valid variable name
     * @throws AlreadyRegisteredException when the id is taken
     */
    public String allocateSharedMemory(long size, String name) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be positive: size=" + size);
        }
        String id = name == null || name.isEmpty() ? nextId() : name;
        registry.register(RAW_NAMESPACE, id, new Shape(Kind.RAW, ElementType.BYTE, size, 1), segment -> { });
        return id;
    }

    /**
     * Maps shared memory into this process (once; later calls return the same mapping).
     *
     * @param id the id {@link #allocateSharedMemory(long, String)} returned
     * @return the memory, read-write, {@link #getSharedMemorySize(String)} bytes
     * @throws UnknownVariableException when there is no such id
     */
    public synchronized MemorySegment mapSharedMemory(String id) {
        VectorView view = mapped.get(id);
        if (view == null || view.isReleased()) {
            view = registry.retrieveVector(RAW_NAMESPACE, id, Access.READ_WRITE);
            mapped.put(id, view);
        }
        return view.segment();
    }

    /**
     * Unmaps shared memory from this process; the memory itself stays. No effect when not mapped.
     *
     * @param id the id of the memory
     */
    public synchronized void unmapSharedMemory(String id) {
        VectorView view = mapped.remove(id);
        if (view != null) {
            view.close();
        }
    }

    /**
     * Frees shared memory: unmaps it here and removes its name (processes that mapped it keep their
     * mapping until they unmap).
     *
     * @param id the id of the memory
     * @throws UnknownVariableException when there is no such id
     */
    public synchronized void freeSharedMemory(String id) {
        unmapSharedMemory(id);
        if (registry.pageList().contains(new QualifiedName(RAW_NAMESPACE, id).toString())) {
            registry.releaseVariables(RAW_NAMESPACE, id);
        } else if (!registry.store().unlink(new QualifiedName(RAW_NAMESPACE, id).segmentName())) {
            throw new UnknownVariableException("no shared memory with this id: id=" + id);
        }
    }

    /**
     * Whether shared memory with this id exists, in any process.
     *
     * @param id the id of the memory
     * @return whether shared memory with this id exists
     */
    public boolean hasSharedMemory(String id) {
        return registry.exists(RAW_NAMESPACE, id);
    }

    /**
     * The size the memory was allocated with.
     *
     * @param id the id of the memory
     * @return the size in bytes of shared memory with this id
     * @throws UnknownVariableException when there is no such id
     */
    public long getSharedMemorySize(String id) {
        return registry.metadata(RAW_NAMESPACE, id).dataBytes();
    }

    /**
     * Copies an array into shared memory once and returns a view of it; see {@link Variable#of(Object)}
     * for the accepted types. The array's shared copy is released with the view's variable:
     * {@code memShare.releaseVariables("shared", view.name().variable())}.
     *
     * @param array the array to share: a {@code double[]}, {@code int[]}, {@code double[][]} or any other
     *              value {@link Variable#of(Object)} accepts
     * @return a read-only view of the shared copy
     * @throws NullPointerException when {@code array} is null
     * @throws IllegalArgumentException when {@link Variable#of(Object)} does not accept {@code array}
     */
    public View share(Object array) {
        Objects.requireNonNull(array, "array");
        String id = nextId();
        registry.register(SHARE_NAMESPACE, id, array);
        return registry.retrieveView(SHARE_NAMESPACE, id);
    }

    /**
     * SharedObject's {@code is.shared}.
     *
     * @param object any object, or null
     * @return whether {@code object} is a live view of shared memory (a plain Java array never is)
     */
    public boolean isShared(Object object) {
        return object instanceof View view && !view.isReleased();
    }

    /**
     * SharedObject's {@code listSharedObjects}: every variable, shared array and raw allocation, of
     * any process.
     *
     * @return every live segment of this library in the directory
     */
    public List<SegmentCensus.Entry> listSharedObjects() {
        return registry.census().list();
    }

    private static String nextId() {
        return ProcessHandle.current().pid() + "-" + LAST_INDEX.incrementAndGet();
    }
}

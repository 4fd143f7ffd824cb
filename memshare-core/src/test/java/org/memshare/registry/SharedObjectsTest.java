package org.memshare.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.testing.TempShm;

/** SharedObject's developer API, following the example of its manual. */
class SharedObjectsTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    @Test
    void unnamedLifecycleAsInTheManual() {
        SharedObjects so = MemShare.forDirectory(shm.directory()).sharedObjects();
        long before = so.getLastIndex();
        String id = so.allocateSharedMemory(10);
        assertEquals(before + 1, so.getLastIndex());
        assertTrue(so.hasSharedMemory(id));
        MemorySegment memory = so.mapSharedMemory(id);
        assertEquals(memory.address(), so.mapSharedMemory(id).address(), "mapping twice returns the same mapping");
        assertEquals(10, memory.byteSize());
        assertEquals(10, so.getSharedMemorySize(id));
        memory.set(ValueLayout.JAVA_BYTE, 9, (byte) 99);
        so.unmapSharedMemory(id);
        assertThrows(IllegalStateException.class, () -> memory.get(ValueLayout.JAVA_BYTE, 9), "unmapped memory is not reachable");
        assertEquals(99, so.mapSharedMemory(id).get(ValueLayout.JAVA_BYTE, 9), "unmapping keeps the memory");
        so.freeSharedMemory(id);
        assertFalse(so.hasSharedMemory(id));
        assertThrows(UnknownVariableException.class, () -> so.freeSharedMemory(id));
    }

    @Test
    void namedAllocationAndDuplicateName() {
        SharedObjects so = MemShare.forDirectory(shm.directory()).sharedObjects();
        assertEquals("SharedObjectExample", so.allocateSharedMemory(10, "SharedObjectExample"));
        assertThrows(AlreadyRegisteredException.class, () -> so.allocateSharedMemory(10, "SharedObjectExample"));
        assertThrows(IllegalArgumentException.class, () -> so.allocateSharedMemory(0));
        assertThrows(IllegalArgumentException.class, () -> so.allocateSharedMemory(10, "bad/name"));
        so.freeSharedMemory("SharedObjectExample");
        assertFalse(so.hasSharedMemory("SharedObjectExample"));
    }

    @Test
    void shareIsSharedAndList() {
        MemShare ms = MemShare.forDirectory(shm.directory());
        SharedObjects so = ms.sharedObjects();
        double[] data = {1, 2, 3};
        View shared = so.share(data);
        assertTrue(so.isShared(shared));
        assertFalse(so.isShared(data));
        assertEquals(6.0, ((VectorView) shared).sum());
        assertTrue(so.listSharedObjects().stream().anyMatch(e -> e.name().equals(shared.name())));
        shared.close();
        assertFalse(so.isShared(shared));
        ms.releaseNamespace(SharedObjects.SHARE_NAMESPACE);
        assertTrue(so.listSharedObjects().isEmpty());
    }
}

package org.memshare.registry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.testing.TempShm;

class RLayoutNamesTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    @Test
    void aVariableNamedLikeAMetadataObjectIsRefusedInRsLayout() {
        MemShare ms = MemShare.forDirectory(shm.directory());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ms.registerVariables("r", Map.of("md.x", new double[] {1}), StorageLayout.R_MEMSHARE));
        assertTrue(e.getMessage().contains("must not start with \"md.\"") && e.getMessage().contains("variable=r.md.x"),
            e.getMessage());
        assertFalse(shm.directory().resolve("r.md.x").toFile().exists());
        ms.registerVariables("r", Map.of("x", new double[] {1}), StorageLayout.R_MEMSHARE); // x stays possible
        ms.releaseVariables("r", "x");
    }
}

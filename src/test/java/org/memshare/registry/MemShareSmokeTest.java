package org.memshare.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.testing.TempShm;

class MemShareSmokeTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    @Test
    void registerViewRelease() {
        MemShare ms = MemShare.forDirectory(shm.directory());
        ms.registerVariables("ns", Map.of("X", Variable.matrix(2, 3, new double[] {1, 2, 3, 4, 5, 6}),
            "y", new double[] {7, 8}));
        try (MatrixView x = ms.retrieveMatrix("ns", "X")) {
            assertEquals(6.0, x.get(1, 2));
            assertEquals(3.0 + 4.0, x.column(1).sum());
            assertEquals(1 + 3 + 5, x.row(0).sum());
        }
        VectorView y = ms.retrieveVector("ns", "y");
        y.close();
        assertThrows(ViewReleasedException.class, () -> y.get(0));
        ms.releaseVariables("ns", "X", "y");
        assertThrows(UnknownVariableException.class, () -> ms.retrieveView("ns", "X"));
    }
}

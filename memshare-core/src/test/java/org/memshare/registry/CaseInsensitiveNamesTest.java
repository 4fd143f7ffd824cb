package org.memshare.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.segment.internal.SimulatedSystems;
import org.memshare.testing.TempShm;

/**
 * Where segment names ignore case (the file store on macOS and Windows, simulated here on any system),
 * {@code ns.X} and {@code ns.x} are one variable in this process's tables too: a view, a release or a
 * namespace release under another case finds what was registered. Where names keep their case, they
 * are two variables.
 */
class CaseInsensitiveNamesTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    private MemShare macOs() {
        return MemShare.forStore(SimulatedSystems.macOsFileStore(shm.directory()));
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(shm.directory())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aVariableIsFoundViewedAndReleasedUnderAnotherCase() throws IOException {
        MemShare registry = macOs();
        registry.register("ns", "X", new double[] {1, 2, 3});
        assertEquals(List.of("memshare.ns.X"), files());
        try (VectorView view = registry.retrieveVector("NS", "x")) {
            assertArrayEquals(new double[] {1, 2, 3}, view.toDoubleArray());
            assertEquals(1, registry.viewCount("ns", "X"));
            assertEquals(List.of("NS.x"), registry.viewList());
        }
        assertEquals(0, registry.viewCount("ns", "x"));
        assertEquals(List.of("ns.X"), registry.pageList());
        registry.releaseVariables("ns", "x");
        assertEquals(List.of(), registry.pageList());
        assertEquals(List.of(), files());
        assertThrows(UnknownVariableException.class, () -> registry.retrieveVector("ns", "X"));
    }

    @Test
    void theSameNameInAnotherCaseIsAlreadyRegisteredAndANamespaceReleaseIgnoresCase() throws IOException {
        MemShare registry = macOs();
        registry.register("ns", "X", new double[] {1});
        AlreadyRegisteredException again = assertThrows(AlreadyRegisteredException.class,
            () -> registry.register("ns", "x", new double[] {2}));
        assertTrue(again.getMessage().contains("already registered by this process"), again.getMessage());
        VectorView view = registry.retrieveVector("ns", "x");
        registry.releaseNamespace("NS");
        assertThrows(ViewReleasedException.class, () -> view.get(0));
        assertEquals(List.of(), registry.pageList());
        assertEquals(List.of(), files());
    }

    @Test
    void whereNamesKeepTheirCaseTheyAreTwoVariables() throws IOException {
        MemShare registry = shm.registry("ns");
        registry.register("ns", "X", new double[] {1});
        registry.register("ns", "x", new double[] {2});
        assertEquals(List.of("ns.X", "ns.x"), registry.pageList());
        try (VectorView upper = registry.retrieveVector("ns", "X"); VectorView lower = registry.retrieveVector("ns", "x")) {
            assertEquals(1.0, upper.get(0));
            assertEquals(2.0, lower.get(0));
        }
        registry.releaseNamespace("ns");
        assertEquals(List.of(), files());
    }
}

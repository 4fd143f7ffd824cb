package org.memshare.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.registry.StorageLayout;
import org.memshare.registry.Variable;
import org.memshare.segment.Access;

/**
 * The example of docs/INTEROP.md, as the document shows it (checked by {@link DocSnippetsTest}). The
 * variables that R and NumPy would register are registered here in their layouts beforehand; the
 * interop tests of the core module check the same layouts against real NumPy and R's byte layout.
 */
class InteropDocExamplesTest {
    @RegisterExtension
    final DocExamples docs = new DocExamples();

    @Test
    void bothLayoutsFromJava() {
        MemShare.system().registerVariables("ns", Map.of("Z", Variable.matrix(2, 3, new double[] {1, 2, 3, 4, 5, 6})),
            StorageLayout.R_MEMSHARE);
        MemShare.system().register("ns", "P", Variable.matrix(2, 1, new double[] {0.5, 2}));
        String printed = StandardOutput.capture(() -> {
            // docs:begin interop
            MemShare memShare = MemShare.system();                                 // /dev/shm (or MEMSHARE_DIR)
            memShare.register("ns", "X", Variable.matrix(2, 3, new double[] {1, 2, 3, 4, 5, 6}));  // for Python
            memShare.registerVariables("ns", Map.of("Y", Variable.matrix(2, 2, new double[] {1, 2, 3, 4})),
                    StorageLayout.R_MEMSHARE);                                     // for R: ns.Y + ns.md.Y
            try (MatrixView z = (MatrixView) memShare.retrieveView("ns", "Z",      // registered by R
                    Access.READ_ONLY, StorageLayout.R_MEMSHARE)) {
                System.out.println(z.nrow() + " x " + z.ncol() + ", z[1,2] = " + z.get(1, 2));
            }
            try (MatrixView p = memShare.retrieveMatrix("ns", "P")) { System.out.println(p.column(0).sum()); }  // from numpy
            memShare.releaseVariables("ns", "X", "Y");                             // R layout: both objects unlinked
            // docs:end interop
        });
        assertEquals("2 x 3, z[1,2] = 6.0\n2.5", printed.strip());
        assertFalse(MemShare.system().exists("ns", "X"));
    }
}

package org.memshare.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.format.ElementType;
import org.memshare.format.Shape;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.segment.StoreKind;

/** The examples of docs/CORE.md about the stores and data larger than memory (checked by {@link DocSnippetsTest}). */
class StoreDocExamplesTest {
    @RegisterExtension
    final DocExamples docs = new DocExamples();

    @TempDir
    Path temporary;

    @Test
    void choosingTheFileStore() throws Exception {
        Path directory = Files.createDirectory(temporary.resolve("disk"));
        String before = System.getProperty(StoreKind.PROPERTY);
        try {
            String printed = StandardOutput.capture(() -> {
                // docs:begin core-stores
                System.setProperty(StoreKind.PROPERTY, "file");     // before the first MemShare: the whole process uses it
                MemShare ms = MemShare.forDirectory(directory);      // a directory on disk; or MemShare.system()
                ms.register("ns", "x", new double[] {1, 2, 3});
                System.out.println(ms.storeKind().label());          // file
                // docs:end core-stores
                ms.releaseVariables("ns", "x");
            });
            assertEquals("file", printed.strip());
        } finally {
            if (before == null) {
                System.clearProperty(StoreKind.PROPERTY);
            } else {
                System.setProperty(StoreKind.PROPERTY, before);
            }
        }
    }

    @Test
    void registeringABinaryMatrixFileStreams() throws Exception {
        long nrow = 1000;
        long ncol = 3;
        Path path = temporary.resolve("big.msm");
        ByteBuffer bytes = ByteBuffer.allocate((int) (40 + nrow * ncol * 8)).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put("MSMATRIX".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(0)
            .putLong(nrow).putLong(ncol).putLong(0);
        for (long k = 0; k < nrow * ncol; k++) {
            bytes.putDouble(k);
        }
        Files.write(path, bytes.array());
        MemShare ms = MemShare.system();
        // docs:begin core-register-from
        try (FileChannel file = FileChannel.open(path)) {
            file.position(40);   // a binary matrix file without column names: its data starts at byte 40 (FORMAT.md)
            ms.registerFrom("ns", "X", Shape.matrix(ElementType.DOUBLE, nrow, ncol), file);
        }
        // docs:end core-register-from
        try (MatrixView x = ms.retrieveMatrix("ns", "X")) {
            assertEquals(2999.0, x.get(999, 2));
            assertEquals(2999.0 * 3000 / 2, x.all().sum());
        }
    }
}

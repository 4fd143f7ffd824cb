package org.memshare.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.testing.TempShm;

/**
 * A host's copies in R memshare's layout, on the executor side without a cluster: made from the host's
 * copy byte for byte, released with it, and (as R's layout records no owner) swept as orphans exactly
 * when the copy they were made from is gone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RLayoutCopiesTest {
    @RegisterExtension
    final TempShm segments = TempShm.systemDirectory();

    /** Writes an R-layout matrix the way R memshare does: a 24-byte record, then the doubles (column-major). */
    private void writeRMatrix(String namespace, String name, double[] columnMajor, long nrow, long ncol) throws IOException {
        ByteBuffer record = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(0).putLong(nrow).putLong(ncol);
        ByteBuffer data = ByteBuffer.allocate(columnMajor.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : columnMajor) {
            data.putDouble(v);
        }
        write(namespace + "." + name, data.array());
        write(namespace + ".md." + name, record.array());
    }

    private void write(String file, byte[] bytes) throws IOException {
        Path path = Files.write(segments.directory().resolve(file), bytes);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(segments.directory())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(HostCopies.LOCK_FILE)).sorted().toList();
        }
    }

    @Test
    void anRCopyIsSweptExactlyWhenItsSourceIsGone() throws IOException {
        MemShare memShare = MemShare.system();
        memShare.register("spark-test-2", "X", new double[] {1, 2}); // a live source (this JVM)
        try {
            writeRMatrix("spark-test-1-r", "X", new double[] {1, 2}, 2, 1); // its source is gone
            writeRMatrix("spark-test-2-r", "X", new double[] {1, 2}, 2, 1);
            writeRMatrix("elsewhere-r", "X", new double[] {1, 2}, 2, 1);    // not this module's
            HostCopies.get(); // the first use on a host sweeps orphans
            assertEquals(List.of("elsewhere-r.X", "elsewhere-r.md.X", "memshare.spark-test-2.X", "spark-test-2-r.X",
                "spark-test-2-r.md.X"), files());
        } finally {
            memShare.releaseVariables("spark-test-2", "X");
        }
        HostCopies.get().sweepOrphans(HostCopies::ofThisModule);
        assertEquals(List.of("elsewhere-r.X", "elsewhere-r.md.X"), files(), "the source released: its R copy goes too");
    }

    @Test
    void attachPublishesTheHostCopyInRLayoutByteForByteAndReleaseUnlinksBoth(@TempDir Path dir) throws IOException {
        double[][] rows = TestCluster.matrix(30, 4, 11);
        Path csv = TestCluster.writeCsv(dir.resolve("x.csv"), rows);
        HostLoad load = new HostLoad.FromFile(new SparkSource.MatrixFileSource(csv.toString(), false, null, false), 30, 4);
        HostCopies copies = HostCopies.get();
        MatrixView x = (MatrixView) copies.attach("spark-test-3", "X", load, true);
        assertEquals(List.of("memshare.spark-test-3.X", "spark-test-3-r.X", "spark-test-3-r.md.X"), files());
        byte[] rData = Files.readAllBytes(segments.directory().resolve("spark-test-3-r.X"));
        assertArrayEquals(x.segment().toArray(ValueLayout.JAVA_BYTE), rData);
        ByteBuffer record = ByteBuffer.wrap(Files.readAllBytes(segments.directory().resolve("spark-test-3-r.md.X")))
            .order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(List.of(0, 30L, 4L), List.of(record.getInt(0), record.getLong(8), record.getLong(16)));
        assertEquals(rows[7][2], ByteBuffer.wrap(rData).order(ByteOrder.LITTLE_ENDIAN).getDouble((2 * 30 + 7) * Double.BYTES));

        // Attaching again reuses both; the R copy vanishing is noticed and made again.
        assertTrue(copies.attach("spark-test-3", "X", load, true) == x);
        Files.delete(segments.directory().resolve("spark-test-3-r.md.X"));
        Files.delete(segments.directory().resolve("spark-test-3-r.X"));
        copies.attach("spark-test-3", "X", load, true);
        assertEquals(List.of("memshare.spark-test-3.X", "spark-test-3-r.X", "spark-test-3-r.md.X"), files());

        assertEquals(2, copies.release("spark-test-3", Set.of()));
        assertEquals(List.of(), files());
    }

    /**
     * The loader of a host's copy killed (here a Python process that registered it, SIGKILLed): the next
     * attach reclaims the dead copy and the R copy made from it, and publishes both anew.
     */
    @Test
    void aDeadLoadersCopyAndItsRCopyAreReplaced(@TempDir Path dir) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", "-c", """
            import sys, time, numpy as np, memshare
            memshare.register("spark-test-4", "X", np.zeros((30, 4), order="F"), directory=sys.argv[1])
            print("registered", flush=True)
            time.sleep(60)
            """, segments.directory().toString()).redirectErrorStream(true);
        builder.environment().put("PYTHONPATH", TestCluster.pythonPackage().toString());
        Process loader = builder.start();
        try {
            String line = new String(loader.getInputStream().readNBytes("registered".length()));
            assertEquals("registered", line);
        } finally {
            loader.destroyForcibly(); // SIGKILL: its copy stays, an orphan
            loader.waitFor(10, TimeUnit.SECONDS);
        }
        writeRMatrix("spark-test-4-r", "X", new double[120], 30, 4);    // the R copy made from it
        double[][] rows = TestCluster.matrix(30, 4, 12);
        Path csv = TestCluster.writeCsv(dir.resolve("x.csv"), rows);
        HostLoad load = new HostLoad.FromFile(new SparkSource.MatrixFileSource(csv.toString(), false, null, false), 30, 4);
        HostCopies copies = HostCopies.get();
        MatrixView x = (MatrixView) copies.attach("spark-test-4", "X", load, true);
        assertEquals(rows[3][2], x.get(3, 2));
        assertEquals(ProcessHandle.current().pid(), x.metadata().owner().pid(), "loaded anew by this JVM");
        byte[] rData = Files.readAllBytes(segments.directory().resolve("spark-test-4-r.X"));
        assertArrayEquals(x.segment().toArray(ValueLayout.JAVA_BYTE), rData, "the R copy made anew from the new copy");
        assertEquals(2, copies.release("spark-test-4", Set.of()));
        assertEquals(List.of(), files());
    }
}

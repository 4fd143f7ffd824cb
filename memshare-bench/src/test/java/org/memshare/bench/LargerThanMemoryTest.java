package org.memshare.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.memshare.format.ElementType;
import org.memshare.format.Shape;
import org.memshare.registry.MemShare;
import org.memshare.segment.StoreKind;
import org.memshare.testing.TempShm;

/**
 * A matrix larger than the memory its reader may use: registered (streamed) in a directory on disk,
 * dropped from the page cache, then summed column by column through views by a child JVM inside a
 * memory cgroup limited to well under the matrix size; and the same with {@code memApply} on a worker
 * JVM in that cgroup. The sums must be exact, and the child must never have held the whole matrix. Needs root and a memory cgroup (v1 or v2); skipped with the
 * reason otherwise. Disk: 384 MiB per store, removed afterwards.
 */
@Timeout(300)
class LargerThanMemoryTest {
    private static final long LIMIT = 160L << 20;
    private static final PatternMatrix MATRIX = new PatternMatrix(1L << 20, 48);

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aChildUnderAMemoryLimitSumsAMatrixLargerThanItExactly(StoreKind kind) throws Exception {
        sumUnderALimit(kind, "view", LIMIT);
    }

    /** The caller and its worker JVM share the cgroup: two JVMs, so the limit is larger, still below the matrix. */
    @ParameterizedTest
    @EnumSource(value = StoreKind.class, names = "FILE")
    void memApplyOnAWorkerUnderAMemoryLimitSumsItExactly(StoreKind kind) throws Exception {
        sumUnderALimit(kind, "apply", 256L << 20);
    }

    private void sumUnderALimit(StoreKind kind, String mode, long limitBytes) throws Exception {
        MemoryLimit limit;
        try {
            limit = MemoryLimit.create(limitBytes);
        } catch (UnsupportedOperationException e) {
            abort("no memory limit can be set here: " + e.getMessage());
            return;
        }
        Path directory = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()),
            "larger-than-memory-");
        String before = System.getProperty(StoreKind.PROPERTY);
        try (limit) {
            // The registry of a fresh directory takes the store configured when it is first used.
            System.setProperty(StoreKind.PROPERTY, kind.label());
            MemShare memShare = MemShare.forDirectory(directory);
            assertEquals(kind, memShare.storeKind());
            memShare.registerFrom("ltm", "X", Shape.matrix(ElementType.DOUBLE, MATRIX.nrow(), MATRIX.ncol()),
                MATRIX.channel());
            try {
                MemoryLimit.dropFromPageCache(directory.resolve("memshare.ltm.X"));
            } catch (UnsupportedOperationException e) {
                abort(e.getMessage());
            }
            ColumnSums.Sums result = ColumnSums.run(limit, kind, mode, directory.toString(), "ltm", "X");
            assertEquals(MATRIX.ncol(), result.sums().length);
            for (int j = 0; j < MATRIX.ncol(); j++) {
                assertEquals(MATRIX.columnSum(j), result.sums()[j], "column " + j);
            }
            assertTrue(result.peakResidentBytes() < MATRIX.bytes() / 2, "the child held "
                + result.peakResidentBytes() + " bytes of a " + MATRIX.bytes() + "-byte matrix at once");
            long peak = limit.peakBytes();
            assertTrue(peak <= limitBytes, "cgroup peak " + peak + " above the limit " + limitBytes);
            memShare.releaseNamespace("ltm");
        } finally {
            if (before == null) {
                System.clearProperty(StoreKind.PROPERTY);
            } else {
                System.setProperty(StoreKind.PROPERTY, before);
            }
            TempShm.deleteRecursively(directory);
        }
    }
}

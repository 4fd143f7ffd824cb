package org.memshare.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memshare.format.SegmentFormatException;
import org.memshare.multiprocess.Child;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.registry.Variable;
import org.memshare.registry.VectorView;
import org.memshare.segment.Access;
import org.memshare.testing.ChildJvm;
import org.memshare.testing.TempShm;

/**
 * A segment file truncated (ftruncate by another process) under a live view: every accessor raises
 * {@link SegmentFormatException} naming the variable and both sizes, never the JVM's InternalError,
 * and views of other variables keep working.
 */
@Timeout(120)
class TruncatedViewTest {
    private static final int N = 1 << 20; // 8 MB of doubles: most pages lie beyond the new end
    private static final long KEPT = 4096;
    /** The flags docs/SECURITY.md gives for a JVM whose inlining limits are raised. */
    private static final String HARDENING =
        "-XX:CompileCommand=quiet -XX:CompileCommand=dontinline,org.memshare.registry.FaultFence::poll";

    @RegisterExtension
    final TempShm shm = new TempShm();

    private MemShare memShare;

    @BeforeEach
    void setUp() {
        memShare = shm.registry("ns");
        double[] values = new double[N];
        Arrays.fill(values, 1.0);
        memShare.register("ns", "t", values);
        memShare.register("ns", "u", new double[] {1, 2, 3});
        memShare.register("ns", "m", Variable.matrix(1024, 1024, values));
    }

    private void truncate(String variable) throws IOException {
        try (FileChannel file = FileChannel.open(shm.directory().resolve("memshare.ns." + variable), StandardOpenOption.WRITE)) {
            file.truncate(KEPT);
        }
    }

    private static void assertShrank(String variable, Executable access) {
        SegmentFormatException e = assertThrows(SegmentFormatException.class, access);
        assertTrue(e.getMessage().startsWith("segment shrank under a live view: variable=ns." + variable + ", bytes="
            + KEPT + ", mapped="), e.getMessage());
    }

    @Test
    void everyAccessorRaisesTheLibraryException_otherViewsKeepWorking() throws IOException {
        VectorView t = memShare.retrieveVector("ns", "t");
        VectorView writable = memShare.retrieveVector("ns", "t", Access.READ_WRITE);
        MatrixView m = memShare.retrieveMatrix("ns", "m");
        VectorView u = memShare.retrieveVector("ns", "u");
        // Let the JIT compile the loops first: a fault in compiled code is reported late, at a safepoint.
        for (int i = 0; i < 50; i++) {
            assertEquals(N, t.sum());
            assertEquals(1024, m.column(1023).sum());
            assertEquals(N, Child.callerLoop(t));
        }
        truncate("t");
        truncate("m");
        // A caller's compiled loop around get: the fault must still surface inside get, as the library's exception.
        assertShrank("t", () -> Child.callerLoop(t));
        assertShrank("t", () -> t.get(N - 1));
        assertShrank("t", () -> t.getLong(N - 1));
        assertShrank("t", t::sum);
        assertShrank("t", t::toDoubleArray);
        assertShrank("t", () -> t.copyTo(new double[10], 0, N - 10, 10));
        assertShrank("t", () -> writable.set(N - 1, 2.0));
        assertShrank("m", () -> m.get(1023, 1023));
        assertShrank("m", () -> m.column(1023).sum());
        assertShrank("m", () -> m.row(1023).sum());
        assertShrank("m", m::toColumnMajorArray);
        // The first page is still there; other variables are untouched.
        assertEquals(1.0, t.get(0));
        assertEquals(6.0, u.sum());
        assertEquals(List.of(1.0, 2.0, 3.0), Arrays.stream(u.toDoubleArray()).boxed().toList());
    }

    /**
     * The accessors' report rests on a call the JIT does not inline (see docs/SECURITY.md). Run with the
     * optimizing compiler, where compilation surely happens before the truncation ({@code -Xbatch}: a
     * busy machine cannot leave the loop interpreted): with the default inlining limits, and with limits
     * raised so far that the call would be inlined plus the flags the documentation gives against that.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "-XX:FreqInlineSize=2000 -XX:MaxInlineSize=2000 " + HARDENING})
    void aCompiledCallerLoopGetsTheLibraryException(String jvmOptions) {
        List<String> options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=4", "-Xbatch"));
        if (!jvmOptions.isEmpty()) {
            options.addAll(List.of(jvmOptions.split(" ")));
        }
        try (ChildJvm child = ChildJvm.startWithJvmOptions(options, Child.class, "truncate-under-caller-loop",
            shm.directory().toString(), "ns", "compiled")) {
            String answer = child.readLine();
            assertTrue(answer.startsWith("SegmentFormatException segment shrank under a live view: variable=ns.compiled,"
                + " bytes=" + KEPT + ", mapped="), options + " -> " + answer);
            assertEquals(0, child.waitFor());
        }
    }

    @Test
    void fileTruncatedByThisProcess_underAViewInAnotherProcess() throws IOException {
        try (ChildJvm child = ChildJvm.start(Child.class, "hold-views", shm.directory().toString(), "ns", "t", "u")) {
            assertEquals("ready", child.readLine());
            child.writeLine("sum t");
            assertEquals("ok " + (double) N, child.readLine());
            truncate("t");
            for (String command : List.of("sum t", "get t", "copy t")) {
                child.writeLine(command);
                String answer = child.readLine();
                assertTrue(answer.startsWith("error SegmentFormatException segment shrank under a live view: variable=ns.t,"
                    + " bytes=" + KEPT + ", mapped="), command + " -> " + answer);
            }
            child.writeLine("sum u");
            assertEquals("ok 6.0", child.readLine(), "another view in the same process keeps working");
            child.closeInput();
            assertEquals(0, child.waitFor());
        }
    }
}

package org.memshare.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.format.ElementType;
import org.memshare.format.SegmentFormatException;
import org.memshare.format.internal.SegmentLayout;
import org.memshare.registry.ListView;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.registry.SegmentCensus;
import org.memshare.registry.StorageLayout;
import org.memshare.registry.Variable;
import org.memshare.registry.VectorView;
import org.memshare.segment.Access;
import org.memshare.segment.ProcessIdentity;
import org.memshare.segment.StoreKind;
import org.memshare.testing.TempShm;

/** A JVM and a Python process (numpy, {@code python/memshare/__init__.py}) on the same memory. */
class NumpyInteropTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    private MemShare memShare;
    private String dir;

    @BeforeEach
    void setUp() {
        Python.requireNumpy();
        memShare = MemShare.forDirectory(shm.directory());
        dir = shm.directory().toString();
    }

    /** Column-major 3 x 4 matrix with (i, j) = 10 i + j + 0.5. */
    private static double[] sample() {
        double[] values = new double[12];
        for (int j = 0; j < 4; j++) {
            for (int i = 0; i < 3; i++) {
                values[i + 3 * j] = 10 * i + j + 0.5;
            }
        }
        return values;
    }

    /** Parses lines {@code key value value ...}. */
    private static Map<String, String> fields(String stdout) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : stdout.lines().toList()) {
            int space = line.indexOf(' ');
            map.put(space < 0 ? line : line.substring(0, space), space < 0 ? "" : line.substring(space + 1));
        }
        return map;
    }

    private static double[] doubles(String values) {
        return Arrays.stream(values.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
    }

    @Test
    void javaRegistersMatrix_pythonAttachesWithoutCopyReadOnlyColumnMajor() {
        memShare.register("ns", "X", Variable.matrix(3, 4, sample()));
        Map<String, String> out = fields(Python.run("""
            import sys, numpy as np, memshare as ms
            x = ms.attach("ns", "X", directory=sys.argv[1])
            print("shape", *x.shape)
            print("dtype", x.dtype.str)
            print("fortran", x.flags["F_CONTIGUOUS"])
            print("writeable", x.flags["WRITEABLE"])
            print("base", type(x.base).__name__)
            print("colsums", *[repr(float(v)) for v in x.sum(axis=0)])
            print("values", *[repr(float(v)) for v in x.ravel(order="F")])
            print("x12", repr(float(x[1, 2])))
            try:
                x[0, 0] = 1.0
                print("write", "allowed")
            except ValueError:
                print("write", "refused")
            """, dir).ok());
        assertEquals("3 4", out.get("shape"));
        assertEquals("<f8", out.get("dtype"));
        assertEquals("True", out.get("fortran"));
        assertEquals("False", out.get("writeable"));
        assertEquals("mmap", out.get("base"), "the array must be a view over the mapping, not a copy");
        assertArrayEquals(new double[] {0.5 + 10.5 + 20.5, 1.5 + 11.5 + 21.5, 2.5 + 12.5 + 22.5, 3.5 + 13.5 + 23.5},
            doubles(out.get("colsums")));
        assertArrayEquals(sample(), doubles(out.get("values")));
        assertEquals(12.5, Double.parseDouble(out.get("x12")));
        assertEquals("refused", out.get("write"));
    }

    @Test
    void writableAttach_pythonWriteSeenByJava_andJavaWriteSeenByPython() {
        memShare.register("ns", "X", Variable.matrix(3, 4, sample()));
        try (MatrixView view = memShare.retrieveMatrix("ns", "X", Access.READ_WRITE);
             Python.Held child = new Python.Held("""
                 import sys, memshare as ms
                 x = ms.attach("ns", "X", directory=sys.argv[1], writable=True)
                 x[1, 2] = 42.25
                 print("written", flush=True)
                 sys.stdin.readline()
                 print("seen", repr(float(x[0, 3])), flush=True)
                 """, dir)) {
            assertEquals("written", child.readLine());
            assertEquals(42.25, view.get(1, 2));
            view.set(0, 3, -7.75);
            assertEquals("seen -7.75", child.finish().ok());
        }
    }

    @Test
    void pythonRegisters_javaViewsEqualValues_ownerIsThePythonProcess() throws IOException {
        try (Python.Held child = new Python.Held("""
                import sys, numpy as np, memshare as ms
                d = sys.argv[1]
                ms.register("py", "M", np.arange(12, dtype=np.float64).reshape(4, 3) * 1.5, directory=d)
                ms.register("py", "i32", np.array([3, -1, 2_000_000_000], dtype=np.int32), directory=d)
                ms.register("py", "i64", np.array([1 << 40, -5], dtype=np.int64), directory=d)
                ms.register("py", "f32", np.array([[0.5, 1.5], [2.5, 3.5]], dtype=np.float32), directory=d)
                ms.register("py", "i8", np.array([-128, 0, 127], dtype=np.int8), directory=d)
                ms.register("py", "L", [np.array([1.0, 2.0]), np.array([[1, 2, 3], [4, 5, 6]], dtype=np.int32)],
                            directory=d)
                print("ready", flush=True)
                sys.stdin.readline()
                """, dir)) {
            assertEquals("ready", child.readLine());
            try (MatrixView m = memShare.retrieveMatrix("py", "M")) {
                assertEquals(4, m.nrow());
                assertEquals(3, m.ncol());
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 3; j++) {
                        // numpy's C-order input (i, j) = (3 i + j) * 1.5 must arrive as the same matrix.
                        assertEquals((3 * i + j) * 1.5, m.get(i, j), "M[" + i + "," + j + "]");
                    }
                }
                assertEquals(child.pid(), m.metadata().owner().pid());
                assertEquals(ProcessIdentity.of(child.pid()).orElseThrow().startTicks(), m.metadata().owner().startTicks());
                assertTrue(m.metadata().owner().isAlive());
            }
            try (VectorView v = memShare.retrieveVector("py", "i32")) {
                assertEquals(ElementType.INT, v.elementType());
                assertEquals(List.of(3L, -1L, 2_000_000_000L), List.of(v.getLong(0), v.getLong(1), v.getLong(2)));
            }
            try (VectorView v = memShare.retrieveVector("py", "i64")) {
                assertEquals(ElementType.LONG, v.elementType());
                assertEquals(1L << 40, v.getLong(0));
                assertEquals(-5L, v.getLong(1));
            }
            try (MatrixView f = memShare.retrieveMatrix("py", "f32")) {
                assertEquals(ElementType.FLOAT, f.elementType());
                assertEquals(2.5, f.get(1, 0));
                assertEquals(1.5, f.get(0, 1));
            }
            try (VectorView v = memShare.retrieveVector("py", "i8")) {
                assertEquals(ElementType.BYTE, v.elementType());
                assertArrayEquals(new double[] {-128, 0, 127}, v.toDoubleArray());
            }
            try (ListView list = memShare.retrieveList("py", "L")) {
                assertEquals(2, list.size());
                assertArrayEquals(new double[] {1, 2}, list.vector(0).toDoubleArray());
                assertEquals(6.0, list.matrix(1).get(1, 2));
                assertEquals(4.0, list.matrix(1).get(1, 0));
            }
            Path file = shm.directory().resolve("memshare.py.M");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            child.finish().ok();
        }
        // The child released its pages at exit, as the JVM does.
        assertFalse(memShare.exists("py", "M"));
        assertFalse(memShare.exists("py", "L"));
    }

    @Test
    void crashedPythonOwner_isAnOrphan_reclaimedByGc() throws InterruptedException {
        try (Python.Held child = new Python.Held("""
                import sys, numpy as np, memshare as ms
                ms.register("py", "v", np.ones(5), directory=sys.argv[1])
                print("ready", flush=True)
                sys.stdin.readline()
                """, dir)) {
            assertEquals("ready", child.readLine());
            SegmentCensus census = memShare.census();
            assertEquals(List.of(), census.orphans());
            child.kill();
            List<SegmentCensus.Entry> orphans = census.orphans();
            assertEquals(1, orphans.size());
            assertEquals("memshare.py.v", orphans.getFirst().segmentName());
            assertEquals(child.pid(), orphans.getFirst().owner().pid());
            assertEquals(1, census.reclaimOrphans(false).size());
            assertFalse(memShare.exists("py", "v"));
        }
    }

    @Test
    void pythonChecksEveryHeaderFieldJavaWrote() {
        long before = System.currentTimeMillis();
        memShare.register("ns", "X", Variable.matrix(2, 3, new double[] {1, 2, 3, 4, 5, 6}));
        memShare.register("ns", "L", Variable.list(Variable.vector(new int[] {7, 8, 9}),
            Variable.matrix(2, 2, new float[] {1, 2, 3, 4})));
        long after = System.currentTimeMillis();
        // An independent reader: raw struct at the offsets of docs/FORMAT.md, not the module's parser.
        Map<String, String> out = fields(Python.run("""
            import os, struct, sys
            d = sys.argv[1]
            with open(os.path.join(d, "memshare.ns.X"), "rb") as f:
                b = f.read()
            print("size", len(b))
            print("mode", oct(os.stat(os.path.join(d, "memshare.ns.X")).st_mode & 0o777))
            print("magic", b[0:8].decode())
            print("fields", *struct.unpack_from("<iiiiqqqqqq", b, 8))
            print("reserved", sum(b[72:128]))
            print("data", *struct.unpack_from("<6d", b, 128))
            with open(os.path.join(d, "memshare.ns.L"), "rb") as f:
                l = f.read()
            print("lsize", len(l))
            print("lfields", *struct.unpack_from("<iiiiqqq", l, 8))
            for i in range(2):
                print("entry%d" % i, *struct.unpack_from("<iiqqqq", l, 128 + 64 * i), sum(l[128 + 64 * i + 40:128 + 64 * i + 64]))
            print("ldata0", *struct.unpack_from("<3i", l, 256))
            print("ldata1", *struct.unpack_from("<4f", l, 320))
            import memshare as ms
            h = ms.metadata("ns", "X", directory=d)
            print("module", h["kind"], h["ownerPid"], h["ownerStartTicks"], h["createdMillis"], h["arrays"][0]["shape"])
            """, dir).ok());
        ProcessIdentity me = ProcessIdentity.current();
        assertEquals("176", out.get("size"));
        assertEquals("0o600", out.get("mode"));
        assertEquals("MEMSHARE", out.get("magic"));
        String[] f = out.get("fields").split(" ");
        // version, kind, element type, data offset, dim0, dim1, data bytes, pid, start ticks, created
        assertEquals(List.of(Integer.toString(SegmentLayout.FORMAT_VERSION), "2", "1", "128", "2", "3", "48", Long.toString(me.pid()), Long.toString(me.startTicks())),
            List.of(f).subList(0, 9));
        long created = Long.parseLong(f[9]);
        assertTrue(created >= before && created <= after, "created=" + created);
        assertEquals("0", out.get("reserved"));
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, doubles(out.get("data")));
        // List: header, 2 directory entries at 128 and 192, data at 256 and 320, end padded to 384 (64-byte aligned).
        assertEquals("384", out.get("lsize"));
        assertEquals(SegmentLayout.FORMAT_VERSION + " 3 0 256 2 0 128", out.get("lfields"));
        assertEquals("1 4 3 1 256 12 0", out.get("entry0"));
        assertEquals("2 2 2 2 320 16 0", out.get("entry1"));
        assertEquals("7 8 9", out.get("ldata0"));
        assertEquals("1.0 2.0 3.0 4.0", out.get("ldata1"));
        assertEquals("matrix " + me.pid() + " " + me.startTicks() + " " + created + " [2, 3]", out.get("module"));
    }

    @Test
    void columnNamesTravelBothWays() {
        memShare.register("ns", "J", Variable.matrix(2, 3, new double[] {1, 2, 3, 4, 5, 6}).withColumnNames("a", "b\u00e9", "c"));
        try (Python.Held child = new Python.Held("""
                import sys, numpy as np, memshare as ms
                d = sys.argv[1]
                j = ms.attach("ns", "J", directory=d)
                print(j.columns, j.column("c").tolist(), flush=True)
                ms.register("ns", "P", np.arange(6.0).reshape(3, 2), columns=["left", "right"], directory=d)
                try:
                    ms.register("ns", "Q", np.ones((2, 2)), columns=["x"], directory=d)
                except ValueError as e:
                    print("refused", e, flush=True)
                print("ready", flush=True)
                sys.stdin.read()
                """, dir)) {
            assertEquals("['a', 'b\u00e9', 'c'] [5.0, 6.0]", child.readLine());
            assertEquals("refused column names do not match the columns: names=1, cols=2", child.readLine());
            assertEquals("ready", child.readLine());
            try (MatrixView p = memShare.retrieveMatrix("ns", "P")) {
                assertEquals(List.of("left", "right"), p.columnNames());
                assertEquals(5.0, p.column(p.columnIndex("right")).get(2));
            }
        }
    }

    @Test
    void damagedColumnNamesAreTheSameErrorInPythonAndJava() throws IOException {
        for (String name : List.of("utf8", "count")) {
            memShare.register("ns", name, Variable.matrix(2, 2, new double[] {1, 2, 3, 4}).withColumnNames("ab", "c"));
        }
        long namesOffset = SegmentLayout.align(SegmentLayout.HEADER_BYTES + 2 * 2 * 8);
        patch("memshare.ns.utf8", namesOffset + SegmentLayout.NAME_LENGTH_BYTES, new byte[] {(byte) 0xC3});
        patch("memshare.ns.count", SegmentLayout.NAMES_COUNT_OFFSET, le32(3));
        String out = Python.run("""
            import sys, memshare as ms
            for name in ["utf8", "count"]:
                try:
                    ms.attach("ns", name, directory=sys.argv[1])
                    print(name, "ATTACHED")
                except ms.SegmentFormatError as e:
                    print(e)
            """, dir).ok();
        List<String> lines = out.lines().toList();
        for (int i = 0; i < 2; i++) {
            String name = List.of("utf8", "count").get(i);
            SegmentFormatException java = assertThrows(SegmentFormatException.class, () -> memShare.retrieveMatrix("ns", name));
            assertEquals(java.getMessage(), lines.get(i), "the same check, the same message");
        }
        assertTrue(lines.get(0).startsWith("column name is not valid UTF-8: name=ns.utf8, column=1"), lines.get(0));
        assertTrue(lines.get(1).startsWith("column names do not match the header: name=ns.count"), lines.get(1));
    }

    @Test
    void pythonListsNamespace_bothLayouts() {
        memShare.register("a", "x", new double[] {1, 2});
        memShare.register("a", "M", Variable.matrix(2, 2, new double[] {1, 2, 3, 4}));
        memShare.register("b", "y", new int[] {1});
        memShare.registerVariables("a", Map.of("r", new double[] {5, 6, 7}), StorageLayout.R_MEMSHARE);
        String out = Python.run("""
            import sys, memshare as ms
            for e in ms.list("a", directory=sys.argv[1]):
                print(e["name"], e["layout"], e["kind"], *e["shape"], e["owner_pid"], e["owner_alive"])
            """, dir).ok();
        long pid = ProcessHandle.current().pid();
        assertEquals(List.of("r r-memshare vector 3 0 None", "M memshare matrix 2 2 " + pid + " True",
            "x memshare vector 2 " + pid + " True"), out.lines().toList(), "by file name, as Java's census sorts");
    }

    @Test
    void badInput_pythonWrittenSegmentWithWrongMagicOrSizes_isAClearJavaError() {
        try (Python.Held child = new Python.Held("""
                import sys, numpy as np, memshare as ms
                d = sys.argv[1]
                ms.register("py", "magic", np.ones(4), directory=d)
                ms.register("py", "size", np.ones(4), directory=d)
                ms.register("py", "type", np.ones(4), directory=d)
                with open(d + "/memshare.py.magic", "r+b") as f:
                    f.write(b"NOTOURS!")
                with open(d + "/memshare.py.size", "r+b") as f:
                    f.seek(ms.DIM0_OFFSET); f.write((1000).to_bytes(8, "little"))
                with open(d + "/memshare.py.type", "r+b") as f:
                    f.seek(ms.ELEMENT_TYPE_OFFSET); f.write((99).to_bytes(4, "little"))
                print("ready", flush=True)
                sys.stdin.readline()
                """, dir)) {
            assertEquals("ready", child.readLine());
            SegmentFormatException magic = assertThrows(SegmentFormatException.class,
                () -> memShare.retrieveView("py", "magic"));
            assertTrue(magic.getMessage().startsWith("not a memshare segment (bad magic): name=py.magic"), magic.getMessage());
            SegmentFormatException size = assertThrows(SegmentFormatException.class,
                () -> memShare.retrieveView("py", "size"));
            assertEquals("data size does not match the shape: name=py.size, dataBytes=32, expected=8000", size.getMessage());
            SegmentFormatException type = assertThrows(SegmentFormatException.class,
                () -> memShare.retrieveView("py", "type"));
            assertTrue(type.getMessage().contains("unknown element type code: elementType=99"), type.getMessage());
            // No partial state: nothing is held after the failures.
            assertEquals(List.of(), memShare.viewList());
            child.finish().ok();
        }
    }

    @Test
    void badInput_javaSegmentsPythonCannotRead_areClearPythonErrors() throws IOException {
        memShare.register("ns", "magic", new double[] {1, 2});
        memShare.register("ns", "version", new double[] {1, 2});
        memShare.register("ns", "truncated", new double[] {1, 2, 3, 4});
        memShare.register("ns", "pending", new double[] {1, 2});
        patch("memshare.ns.magic", SegmentLayout.MAGIC_OFFSET, "BADMAGIC".getBytes());
        patch("memshare.ns.version", SegmentLayout.VERSION_OFFSET, le32(SegmentLayout.FORMAT_VERSION + 1));
        patch("memshare.ns.pending", SegmentLayout.MAGIC_OFFSET, "MEMSHPND".getBytes());
        try (FileChannel channel = FileChannel.open(shm.directory().resolve("memshare.ns.truncated"),
            StandardOpenOption.WRITE)) {
            channel.truncate(SegmentLayout.HEADER_BYTES + 8);
        }
        String out = Python.run("""
            import sys, memshare as ms
            for name in ["magic", "version", "truncated", "pending", "missing"]:
                try:
                    ms.attach("ns", name, directory=sys.argv[1])
                    print(name, "ATTACHED")
                except ms.MemshareError as e:
                    print(name, type(e).__name__, e)
            for ns, name in [("n.s", "x"), ("ns", "../x"), ("ns", "a\\x01")]:
                try:
                    ms.attach(ns, name, directory=sys.argv[1])
                except ValueError as e:
                    print("name", e)
            """, dir).ok();
        List<String> lines = out.lines().toList();
        assertEquals("magic SegmentFormatError not a memshare segment (bad magic): name=ns.magic, magic=0x434947414d444142",
            lines.get(0));
        assertEquals("version SegmentFormatError segment has a newer format version: name=ns.version, version="
            + (SegmentLayout.FORMAT_VERSION + 1) + ", supported=" + SegmentLayout.FORMAT_VERSION, lines.get(1));
        assertEquals("truncated SegmentFormatError segment sizes do not match its header: name=ns.truncated, bytes=136,"
            + " dataOffset=128, dataBytes=32", lines.get(2));
        assertTrue(lines.get(3).startsWith("pending SegmentFormatError segment is not complete"), lines.get(3));
        assertTrue(lines.get(4).startsWith("missing NotRegisteredError variable not registered: variable=ns.missing"),
            lines.get(4));
        assertEquals("name namespace must not contain '.': namespace=n.s", lines.get(5));
        assertEquals("name variable name must not contain a path separator: variable name='../x'", lines.get(6));
        assertEquals("name variable name must not contain control characters: variable name='a\\x01', index=1",
            lines.get(7));
        // Java says the same about the same bytes.
        assertThrows(SegmentFormatException.class, () -> memShare.retrieveView("ns", "magic"));
        assertThrows(SegmentFormatException.class, () -> memShare.retrieveView("ns", "version"));
        assertThrows(SegmentFormatException.class, () -> memShare.retrieveView("ns", "truncated"));
    }

    @Test
    void badInput_pythonRegistrationRefused_leavesNothingBehind() throws IOException {
        memShare.register("ns", "taken", new double[] {1, 2, 3});
        String out = Python.run("""
            import os, sys, numpy as np, memshare as ms
            d = sys.argv[1]
            cases = [("taken", np.zeros(3)), ("../evil", np.zeros(3)), ("complex", np.zeros(3, dtype=complex)),
                     ("cube", np.zeros((2, 2, 2))), ("nested", [np.zeros(2), [np.zeros(2)]])]
            for name, value in cases:
                try:
                    ms.register("ns", name, value, directory=d)
                    print(name, "REGISTERED")
                except (ms.MemshareError, ValueError) as e:
                    print(type(e).__name__, e)
            try:
                ms.register("ns", "ints", np.arange(3), directory=d, layout="r-memshare")
            except ValueError as e:
                print(type(e).__name__, e)
            print("files", *sorted(os.listdir(d)))
            """, dir).ok();
        List<String> lines = out.lines().toList();
        assertEquals("AlreadyRegisteredError variable already registered: variable=ns.taken, layout=memshare, path="
            + shm.directory().resolve("memshare.ns.taken"), lines.get(0));
        assertTrue(lines.get(1).startsWith("ValueError variable name must not contain a path separator"), lines.get(1));
        assertEquals("ValueError unsupported dtype: value, dtype=complex128 (use float64, float32, int64, int32 or int8)",
            lines.get(2));
        assertEquals("ValueError only vectors (1-D) and matrices (2-D) can be registered: value, ndim=3", lines.get(3));
        assertEquals("ValueError lists do not nest: element 1 is a list", lines.get(4));
        assertEquals("ValueError R memshare's layout holds doubles only: value, dtype=int64", lines.get(5));
        assertEquals("files memshare.ns.taken", lines.get(6));
        try (VectorView taken = memShare.retrieveVector("ns", "taken")) {
            assertArrayEquals(new double[] {1, 2, 3}, taken.toDoubleArray());
        }
        // And Java refuses an invalid name the same way.
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
            () -> memShare.register("ns", "../evil", new double[] {1}));
        assertTrue(bad.getMessage().contains("must not contain a path separator"), bad.getMessage());
    }

    @Test
    void pythonCommandLineShowsAVariableAsJson() {
        memShare.register("ns", "X", Variable.matrix(3, 4, sample()));
        String out = Python.run("""
            import sys, memshare as ms
            sys.exit(ms.main(["show", "ns", "X", "--json", "--dir", sys.argv[1]]))
            """, dir).ok();
        assertEquals("{\"kind\":\"matrix\",\"type\":\"double\",\"shape\":[3,4],\"bytes\":96,"
            + "\"sum\":144.0,\"min\":0.5,\"max\":23.5,\"store\":\"" + StoreKind.configured().label() + "\"}", out.strip(),
            "as the Java command line prints it");
        Python.PythonRun missing = Python.run("""
            import sys, memshare as ms
            sys.exit(ms.main(["show", "ns", "nope", "--dir", sys.argv[1]]))
            """, dir);
        assertEquals(1, missing.exitCode(), "a missing variable is a failure, not a usage error");
        assertTrue(missing.stderr().contains("variable not registered: variable=ns.nope"), missing.stderr());
    }

    private void patch(String segment, long offset, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(shm.directory().resolve(segment), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    private static byte[] le32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }
}

package org.memshare.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.memshare.format.Kind;
import org.memshare.format.internal.RMemshareLayout;
import org.memshare.format.SegmentFormatException;
import org.memshare.format.Shape;
import org.memshare.format.ElementType;
import org.memshare.registry.AlreadyRegisteredException;
import org.memshare.registry.ListView;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.registry.SegmentCensus;
import org.memshare.registry.StorageLayout;
import org.memshare.registry.UnknownVariableException;
import org.memshare.registry.Variable;
import org.memshare.registry.VectorView;
import org.memshare.registry.View;
import org.memshare.segment.Access;
import org.memshare.testing.TempShm;

/**
 * R memshare's layout (docs/INTEROP.md): what an independent writer following that description makes,
 * the JVM views; what the JVM writes, an independent reader checks byte by byte. The independent side is Python's
 * {@code struct} module, not this library's code.
 */
class RMemshareLayoutTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    private MemShare memShare;
    private String dir;

    @BeforeEach
    void setUp() {
        memShare = MemShare.forDirectory(shm.directory());
        dir = shm.directory().toString();
    }

    /** Writes R memshare's objects the way its C++ does: records, then the raw doubles (or offsets + doubles). */
    private static final String INDEPENDENT_WRITER = """
        import os, struct, sys
        import numpy as np
        d = sys.argv[1]
        def put(name, data):
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        def record(t, a, b):
            return struct.pack("<i4xQQ", t, a, b)
        M = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])          # 3 x 2, row i = (2i+1, 2i+2)
        put("ns.md.M", record(0, 3, 2))
        put("ns.M", M.tobytes(order="F"))
        v = np.array([0.25, -1.0, 1e300, 7.0])
        put("ns.md.v", record(1, 4, 0))
        put("ns.v", v.tobytes())
        e0 = np.array([10.0, 20.0])
        e1 = np.array([[1.5, 2.5], [3.5, 4.5]])
        put("ns.md.L", record(2, 2, 6) + record(1, 2, 0) + record(0, 2, 2))
        put("ns.L", struct.pack("<2Q", 0, 2) + e0.tobytes() + e1.tobytes(order="F"))
        print("written")
        """;

    @Test
    void independentlyWrittenRLayout_javaViewsVectorMatrixList() {
        Python.requireNumpy();
        assertEquals("written", Python.run(INDEPENDENT_WRITER, dir).ok().strip());
        List<View> views = memShare.retrieveViews("ns", Access.READ_ONLY, StorageLayout.R_MEMSHARE, "M", "v", "L");
        try (MatrixView m = (MatrixView) views.get(0); VectorView v = (VectorView) views.get(1);
             ListView l = (ListView) views.get(2)) {
            assertEquals(3, m.nrow());
            assertEquals(2, m.ncol());
            for (int i = 0; i < 3; i++) {
                assertEquals(2 * i + 1, m.get(i, 0));
                assertEquals(2 * i + 2, m.get(i, 1));
            }
            assertEquals(3 + 5 + 1, m.column(0).sum());
            assertArrayEquals(new double[] {0.25, -1.0, 1e300, 7.0}, v.toDoubleArray());
            assertEquals(2, l.size());
            assertEquals(Kind.VECTOR, l.kind(0));
            assertArrayEquals(new double[] {10, 20}, l.vector(0).toDoubleArray());
            assertEquals(3.5, l.matrix(1).get(1, 0));
            assertEquals(2.5, l.matrix(1).get(0, 1));
            assertEquals(StorageLayout.R_MEMSHARE, m.metadata().layout());
            assertEquals(0, m.metadata().owner().pid());
            assertEquals(RMemshareLayout.NO_VERSION, m.metadata().formatVersion());
            assertEquals(List.of(3L, 2L), m.metadata().shape());
            assertEquals(List.of(Shape.vector(ElementType.DOUBLE, 2), Shape.matrix(ElementType.DOUBLE, 2, 2)),
                l.metadata().elements());
        }
        // Not registered in this library's own format under that name: the layout is opt-in.
        assertThrows(UnknownVariableException.class, () -> memShare.retrieveView("ns", "M"));
        assertEquals(List.of(), memShare.viewList());
    }

    @Test
    void censusListsRLayoutVariables_markedAndNeverReclaimed() {
        Python.requireNumpy();
        Python.run(INDEPENDENT_WRITER, dir).ok();
        memShare.register("ns", "own", new double[] {1});
        SegmentCensus census = memShare.census();
        Map<String, SegmentCensus.Entry> byName = new LinkedHashMap<>();
        census.list().forEach(e -> byName.put(e.name() + "/" + e.layout().label(), e));
        assertEquals(List.of("ns.own/memshare", "ns.L/r-memshare", "ns.M/r-memshare", "ns.v/r-memshare"),
            List.copyOf(byName.keySet()));
        SegmentCensus.Entry m = byName.get("ns.M/r-memshare");
        assertEquals(SegmentCensus.State.READY, m.state());
        assertEquals(Kind.MATRIX, m.kind());
        assertEquals(List.of(3L, 2L), m.shape());
        assertEquals(24 + 48, m.bytes());
        assertFalse(m.ownerKnown());
        assertFalse(m.isOrphan());
        assertEquals(List.of(), census.orphans());
        assertEquals(List.of(), census.reclaimOrphans(false));
        assertTrue(Files.exists(shm.directory().resolve("ns.md.M")));
    }

    @Test
    void javaWritesRLayout_independentReaderChecksEveryByte() throws IOException {
        Python.requireNumpy();
        memShare.registerVariables("ns", Map.of(
            "M", Variable.matrix(2, 3, new double[] {1, 2, 3, 4, 5, 6}),
            "v", new double[] {0.5, 1.5, 2.5},
            "L", List.of(new double[] {7, 8}, Variable.matrix(2, 2, new double[] {1, 2, 3, 4}))),
            StorageLayout.R_MEMSHARE);
        Map<String, String> hex = new LinkedHashMap<>();
        for (String line : Python.run("""
                import os, sys
                d = sys.argv[1]
                for name in ["ns.md.M", "ns.M", "ns.md.v", "ns.v", "ns.md.L", "ns.L"]:
                    path = os.path.join(d, name)
                    with open(path, "rb") as f:
                        print(name, oct(os.stat(path).st_mode & 0o777), f.read().hex())
                """, dir).ok().lines().toList()) {
            String[] parts = line.split(" ");
            assertEquals("0o600", parts[1], "mode of " + parts[0]);
            hex.put(parts[0], parts[2]);
        }
        assertEquals(record(0, 2, 3), hex.get("ns.md.M"));
        assertEquals(doubles(1, 2, 3, 4, 5, 6), hex.get("ns.M"));
        assertEquals(record(1, 3, 0), hex.get("ns.md.v"));
        assertEquals(doubles(0.5, 1.5, 2.5), hex.get("ns.v"));
        assertEquals(record(2, 2, 6) + record(1, 2, 0) + record(0, 2, 2), hex.get("ns.md.L"));
        assertEquals(u64(0) + u64(2) + doubles(7, 8, 1, 2, 3, 4), hex.get("ns.L"));

        // The Python module reads the same objects as numpy arrays, zero-copy.
        String out = Python.run("""
            import sys, memshare as ms
            m = ms.attach("ns", "M", directory=sys.argv[1], layout="r-memshare")
            l = ms.attach("ns", "L", directory=sys.argv[1], layout="r-memshare")
            print(*m.shape, *m.sum(axis=0), float(l[0].sum()), float(l[1][1, 1]))
            """, dir).ok();
        assertEquals("2 3 3.0 7.0 11.0 15.0 4.0", out.strip());

        memShare.releaseVariables("ns", "M", "v", "L");
        try (Stream<Path> left = Files.list(shm.directory())) {
            assertEquals(List.of(), left.toList(), "release unlinks both objects of each variable");
        }
    }

    @Test
    void javaRoundTripInRLayout_writableViewSeenByPython() {
        Python.requireNumpy();
        memShare.registerVariables("ns", Map.of("X", Variable.matrix(2, 2, new double[] {1, 2, 3, 4})),
            StorageLayout.R_MEMSHARE);
        try (MatrixView x = (MatrixView) memShare.retrieveView("ns", "X", Access.READ_WRITE, StorageLayout.R_MEMSHARE)) {
            assertEquals(3.0, x.get(0, 1));
            x.set(1, 1, 99);
            assertEquals("99.0", Python.run("""
                import sys, memshare as ms
                print(float(ms.attach("ns", "X", directory=sys.argv[1], layout="r-memshare")[1, 1]))
                """, dir).ok().strip());
        }
        assertTrue(memShare.exists("ns", "X", StorageLayout.R_MEMSHARE));
        assertFalse(memShare.exists("ns", "X"));
        assertEquals(List.of("ns.X"), memShare.pageList());
    }

    static Stream<Arguments> malformed() {
        String matrix3x3 = record(0, 3, 3);
        return Stream.of(
            Arguments.of("truncated metadata", record(0, 2, 2).substring(0, 46), doubles(1, 2, 3, 4),
                "R-layout metadata is truncated or not whole records: name=ns.X, metadataBytes=23, recordBytes=24"),
            Arguments.of("unknown type code", record(7, 2, 2), doubles(1, 2, 3, 4),
                "unknown R-layout type code: name=ns.X, in=record, type=7"),
            Arguments.of("data shorter than metadata", matrix3x3, doubles(1, 2, 3, 4, 5, 6, 7, 8),
                "R-layout data size does not match its metadata: name=ns.X, dataBytes=64, expected=72, kind=matrix,"
                    + " dims=[3, 3]"),
            Arguments.of("data longer than metadata", record(1, 2, 0), doubles(1, 2, 3),
                "R-layout data size does not match its metadata: name=ns.X, dataBytes=24, expected=16, kind=vector,"
                    + " dims=[2]"),
            Arguments.of("two records for a vector", record(1, 2, 0) + record(1, 2, 0), doubles(1, 2),
                "R-layout metadata of a vector or matrix is one record: name=ns.X, metadataBytes=48, expected=24"),
            Arguments.of("list count does not match records", record(2, 2, 2) + record(1, 2, 0), u64(0) + doubles(1, 2),
                "R-layout list size does not match its metadata object: name=ns.X, elements=2, records=2"),
            Arguments.of("list offset out of bounds", record(2, 2, 4) + record(1, 2, 0) + record(1, 2, 0),
                u64(0) + u64(3) + doubles(1, 2, 3, 4),
                "R-layout list element out of bounds: name=ns.X, element=1, offsetDoubles=3, doubles=2, totalDoubles=4"),
            Arguments.of("list total does not match elements", record(2, 1, 3) + record(1, 2, 0), u64(0) + doubles(1, 2, 3),
                "R-layout list total does not match its elements: name=ns.X, totalDoubles=3, sumOfElements=2"),
            Arguments.of("nested list", record(2, 1, 1) + record(2, 1, 1), u64(0) + doubles(1),
                "R-layout lists do not nest: name=ns.X, in=element 0"),
            Arguments.of("dimensions overflow", record(0, 1L << 62, 4), doubles(1),
                "R-layout dimensions overflow: name=ns.X, in=record, dimensions overflow: rows=4611686018427387904,"
                    + " cols=4, elementType=double"),
            Arguments.of("count above 2^63", record(1, -1L, 0), doubles(1),
                "R-layout dimension too large: name=ns.X, in=record, a=18446744073709551615, b=0"),
            Arguments.of("empty data object", record(1, 0, 0), "",
                "R-layout object is empty: variable=ns.X, object=ns.X, directory=" + "%DIR%"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedRLayout_isAClearErrorOnBothSides_noPartialState(String what, String metadataHex, String dataHex,
                                                                   String message) throws IOException {
        Files.write(shm.directory().resolve("ns.md.X"), HexFormat.of().parseHex(metadataHex));
        Files.write(shm.directory().resolve("ns.X"), HexFormat.of().parseHex(dataHex));
        SegmentFormatException e = assertThrows(SegmentFormatException.class,
            () -> memShare.retrieveView("ns", "X", Access.READ_ONLY, StorageLayout.R_MEMSHARE));
        assertEquals(message.replace("%DIR%", shm.directory().toString()), e.getMessage());
        assertEquals(List.of(), memShare.viewList());
        // The census lists a pair with valid records but bad sizes as invalid, and never reclaims it.
        for (SegmentCensus.Entry entry : memShare.census().list()) {
            assertEquals(SegmentCensus.State.INVALID, entry.state(), what);
        }
        assertEquals(List.of(), memShare.census().reclaimOrphans(false));
        if (!dataHex.isEmpty()) {
            Python.requireNumpy();
            Python.PythonRun python = Python.run("""
                import sys, memshare as ms
                try:
                    ms.attach("ns", "X", directory=sys.argv[1], layout="r-memshare")
                    print("ATTACHED")
                except ms.SegmentFormatError as e:
                    print(e)
                """, dir);
            assertEquals(message, python.ok().strip(), "python: " + what);
        }
    }

    @Test
    void missingObject_isUnknownVariable() throws IOException {
        Files.write(shm.directory().resolve("ns.md.X"), HexFormat.of().parseHex(record(1, 1, 0)));
        UnknownVariableException e = assertThrows(UnknownVariableException.class,
            () -> memShare.retrieveView("ns", "X", Access.READ_ONLY, StorageLayout.R_MEMSHARE));
        assertEquals("variable not registered: variable=ns.X, layout=r-memshare, missing=ns.X, directory="
            + shm.directory(), e.getMessage());
        Files.delete(shm.directory().resolve("ns.md.X"));
        Files.write(shm.directory().resolve("ns.X"), HexFormat.of().parseHex(doubles(1)));
        UnknownVariableException m = assertThrows(UnknownVariableException.class,
            () -> memShare.retrieveView("ns", "X", Access.READ_ONLY, StorageLayout.R_MEMSHARE));
        assertEquals("variable not registered: variable=ns.X, layout=r-memshare, missing=ns.md.X, directory="
            + shm.directory(), m.getMessage());
    }

    @Test
    void registrationIsExclusive_andAllOrNothing() throws IOException {
        Path dirPath = shm.directory();
        // An R session registered ns.A (metadata present): nothing of ours is created.
        Files.write(dirPath.resolve("ns.md.A"), HexFormat.of().parseHex(record(1, 1, 0)));
        Files.write(dirPath.resolve("ns.A"), HexFormat.of().parseHex(doubles(42)));
        AlreadyRegisteredException a = assertThrows(AlreadyRegisteredException.class,
            () -> memShare.registerVariables("ns", Map.of("A", new double[] {1}), StorageLayout.R_MEMSHARE));
        assertEquals("variable already registered: variable=ns.A, layout=r-memshare, path=" + dirPath.resolve("ns.md.A"),
            a.getMessage());
        // Only a data object named ns.B exists: refused, and no metadata object is left behind.
        Files.write(dirPath.resolve("ns.B"), HexFormat.of().parseHex(doubles(5)));
        assertThrows(AlreadyRegisteredException.class,
            () -> memShare.registerVariables("ns", Map.of("B", new double[] {1}), StorageLayout.R_MEMSHARE));
        assertFalse(Files.exists(dirPath.resolve("ns.md.B")));
        assertEquals(doubles(5), HexFormat.of().formatHex(Files.readAllBytes(dirPath.resolve("ns.B"))));
        // Values the layout cannot hold are refused before anything is created.
        IllegalArgumentException ints = assertThrows(IllegalArgumentException.class,
            () -> memShare.registerVariables("ns", Map.of("C", new int[] {1}), StorageLayout.R_MEMSHARE));
        assertEquals("cannot register in R memshare's layout: variable=ns.C, R memshare's layout holds doubles only:"
            + " element=0, elementType=int", ints.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> memShare.registerVariables("ns", Map.of("E", new double[0]), StorageLayout.R_MEMSHARE));
        // All or none: the first variable of a failing call is removed again (both objects).
        assertThrows(IllegalArgumentException.class, () -> memShare.registerVariables("ns", List.of("ok", "bad"),
            List.of(new double[] {1, 2}, new long[] {3}), StorageLayout.R_MEMSHARE));
        try (Stream<Path> files = Files.list(dirPath)) {
            assertEquals(List.of("ns.A", "ns.B", "ns.md.A"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(List.of(), memShare.pageList());
        // One name is one page per process, whichever the layout.
        memShare.register("ns", "D", new double[] {1});
        AlreadyRegisteredException twice = assertThrows(AlreadyRegisteredException.class,
            () -> memShare.registerVariables("ns", Map.of("D", new double[] {1}), StorageLayout.R_MEMSHARE));
        assertEquals("variable already registered by this process: variable=ns.D, layout=memshare", twice.getMessage());
        memShare.releaseVariables("ns", "D");
    }

    @Test
    void releasedRLayoutPage_viewKeepsWorkingUntilReleased() {
        memShare.registerVariables("ns", Map.of("V", new double[] {1, 2, 3}), StorageLayout.R_MEMSHARE);
        View view = memShare.retrieveView("ns", "V", Access.READ_ONLY, StorageLayout.R_MEMSHARE);
        memShare.releaseVariables("ns", "V");
        assertFalse(memShare.exists("ns", "V", StorageLayout.R_MEMSHARE));
        VectorView v = assertInstanceOf(VectorView.class, view);
        assertEquals(6.0, v.sum());
        v.close();
        assertThrows(UnknownVariableException.class,
            () -> memShare.retrieveView("ns", "V", Access.READ_ONLY, StorageLayout.R_MEMSHARE));
    }

    @Test
    void plan_sizesAndOffsets() {
        RMemshareLayout.Plan list = RMemshareLayout.plan(Kind.LIST,
            List.of(Shape.vector(ElementType.DOUBLE, 3), Shape.matrix(ElementType.DOUBLE, 2, 5)));
        assertEquals(3 * RMemshareLayout.RECORD_BYTES, list.metadataBytes());
        assertEquals(2 * 8 + 13 * 8, list.dataBytes());
        assertEquals(16, list.arrays().get(0).offset());
        assertEquals(16 + 24, list.arrays().get(1).offset());
        RMemshareLayout.Plan matrix = RMemshareLayout.plan(Kind.MATRIX, List.of(Shape.matrix(ElementType.DOUBLE, 4, 4)));
        assertEquals(24, matrix.metadataBytes());
        assertEquals(128, matrix.dataBytes());
        assertEquals(0, matrix.arrays().getFirst().offset());
        assertEquals(24, RMemshareLayout.RECORD_BYTES);
        assertEquals(8, RMemshareLayout.RECORD_FIELD_A_OFFSET);
        assertEquals(16, RMemshareLayout.RECORD_FIELD_B_OFFSET);
    }

    private static String record(int type, long a, long b) {
        ByteBuffer buffer = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(type).putInt(0).putLong(a).putLong(b);
        return HexFormat.of().formatHex(buffer.array());
    }

    private static String u64(long value) {
        return HexFormat.of().formatHex(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    private static String doubles(double... values) {
        ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double value : values) {
            buffer.putDouble(value);
        }
        return HexFormat.of().formatHex(buffer.array());
    }
}

package org.memshare.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.format.ElementType;
import org.memshare.io.MatrixFile;
import org.memshare.io.MatrixFileException;
import org.memshare.io.MatrixFormat;
import org.memshare.io.MsmFile;
import org.memshare.io.ReadOptions;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.testing.TempShm;

/**
 * Every input format against NumPy's own writer and reader: NumPy writes the file, Java streams it
 * into shared memory, and NumPy compares what it attaches with what it reads from the file itself.
 */
class MatrixFileNumpyTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    @TempDir
    Path files;

    private MemShare memShare;

    @BeforeEach
    void setUp() {
        Python.requireNumpy();
        memShare = MemShare.forDirectory(shm.directory());
    }

    /** NumPy writes one file per case; the cases name the files and the dtypes. */
    private static final String WRITE = """
        import sys, numpy as np
        d = sys.argv[1]
        rng = np.random.default_rng(7)
        base = rng.normal(size=(37, 5)) * 1000
        np.save(d + "/c_f8.npy", base)
        np.save(d + "/f_f8.npy", np.asfortranarray(base))
        np.save(d + "/c_f4.npy", base.astype("<f4"))
        np.save(d + "/f_f4.npy", np.asfortranarray(base.astype("<f4")))
        np.save(d + "/c_i8.npy", (base * 1e6).astype("<i8"))
        np.save(d + "/c_i4.npy", base.astype("<i4"))
        np.save(d + "/f_i4.npy", np.asfortranarray(base.astype("<i4")))
        np.save(d + "/c_u1.npy", (np.abs(base) % 256).astype("u1"))
        np.save(d + "/c_i1.npy", (base % 128).astype("i1"))
        np.save(d + "/vector.npy", base[:, 0].copy())
        wide = rng.normal(size=(3, 300000))
        np.save(d + "/wide.npy", wide)
        names = ["alpha", "beta", "g\\u00e4mma", "delta", "eps"]
        np.savetxt(d + "/semi.csv", base, delimiter=";", header=";".join(names), comments="", fmt="%.17g")
        np.savetxt(d + "/tab.tsv", base, delimiter="\\t", header="\\t".join(names), comments="", fmt="%.17g")
        np.savetxt(d + "/comma.csv.gz", base, delimiter=",", header=",".join(names), comments="", fmt="%.17g")
        """;

    private static final List<String> NPY = List.of("c_f8", "f_f8", "c_f4", "f_f4", "c_i8", "c_i4", "f_i4", "c_u1",
        "c_i1", "vector", "wide");

    @Test
    void everyFormatRoundTripsThroughSharedMemoryAgainstNumpy() throws IOException {
        Python.run(WRITE, files.toString()).ok();
        for (String name : NPY) {
            MatrixFile file = MatrixFile.open(files.resolve(name + ".npy"));
            assertEquals(MatrixFormat.NPY, file.format());
            assertFalse(file.hasColumnNames());
            file.register(memShare, "npy", name);
        }
        MatrixFile semi = MatrixFile.open(files.resolve("semi.csv"), ReadOptions.defaults().withDelimiter(';'));
        semi.register(memShare, "csv", "semi");
        MatrixFile tab = MatrixFile.open(files.resolve("tab.tsv"), ReadOptions.defaults().withDelimiter('\t'));
        tab.register(memShare, "csv", "tab");
        MatrixFile gz = MatrixFile.open(files.resolve("comma.csv.gz"));
        assertEquals(MatrixFormat.CSV_GZIP, gz.format());
        gz.register(memShare, "csv", "gz");
        double[] fromGz = gz.readColumn(2);
        MsmFile.write(files.resolve("m.msm"), 2, 3, List.of("a", "b", "c"), new double[] {1, 2, 3, 4, 5, 6});
        MatrixFile.open(files.resolve("m.msm")).register(memShare, "msm", "m");

        String out = Python.run("""
            import sys, numpy as np, memshare as ms
            d, shm = sys.argv[1], sys.argv[2]
            types = {}
            for name in %s:
                expected = np.load(d + "/" + name + ".npy")
                if expected.ndim == 1:
                    expected = expected.reshape(-1, 1)
                if expected.dtype == np.uint8:
                    expected = expected.astype("<i4")   # memshare has no unsigned byte: widened
                x = ms.attach("npy", name, directory=shm)
                assert x.dtype == expected.dtype, (name, x.dtype, expected.dtype)
                assert x.shape == expected.shape, (name, x.shape, expected.shape)
                assert np.array_equal(x, expected), name
                assert x.columns is None
                print(name, "ok", x.dtype.str)
            names = ["alpha", "beta", "g\\u00e4mma", "delta", "eps"]
            for var, file, sep in [("semi", "semi.csv", ";"), ("tab", "tab.tsv", "\\t"), ("gz", "comma.csv.gz", ",")]:
                expected = np.loadtxt(d + "/" + file, delimiter=sep, skiprows=1)
                x = ms.attach("csv", var, directory=shm)
                assert x.shape == expected.shape and np.array_equal(x, expected), var
                assert x.columns == names, x.columns
                print(var, "ok", x.columns[2])
            m = ms.attach("msm", "m", directory=shm)
            print("msm", m.tolist(), m.columns)
            """.formatted(pythonList(NPY)), files.toString(), shm.directory().toString()).ok();
        List<String> lines = out.lines().toList();
        for (int i = 0; i < NPY.size(); i++) {
            assertTrue(lines.get(i).startsWith(NPY.get(i) + " ok"), lines.get(i));
        }
        assertEquals("semi ok g\u00e4mma", lines.get(NPY.size()));
        assertEquals("tab ok g\u00e4mma", lines.get(NPY.size() + 1));
        assertEquals("gz ok g\u00e4mma", lines.get(NPY.size() + 2));
        assertEquals("msm [[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]] ['a', 'b', 'c']", lines.get(NPY.size() + 3));
        try (MatrixView x = memShare.retrieveMatrix("npy", "c_u1")) {
            assertEquals(ElementType.INT, x.elementType());
        }
        try (MatrixView x = memShare.retrieveMatrix("csv", "gz")) {
            assertEquals(fromGz[5], x.get(5, x.columnIndex("g\u00e4mma")));
        }
    }

    @Test
    void badNumpyFilesAreClearErrors() throws IOException {
        Python.run("""
            import sys, numpy as np
            d = sys.argv[1]
            np.save(d + "/big_endian.npy", np.arange(6.0).astype(">f8"))
            np.save(d + "/complex.npy", np.ones(3, dtype=complex))
            np.save(d + "/cube.npy", np.ones((2, 2, 2)))
            np.save(d + "/structured.npy", np.zeros(2, dtype=[("a", "<f8"), ("b", "<i4")]))
            np.save(d + "/ok.npy", np.ones((4, 3)))
            """, files.toString()).ok();
        assertMessage("big_endian.npy", ".npy dtype not supported", "descr=>f8");
        assertMessage("complex.npy", ".npy dtype not supported", "descr=<c16");
        assertMessage("cube.npy", "1 or 2 dimensions", "shape=[2, 2, 2]");
        assertMessage("structured.npy", "structured", "path=");
        byte[] ok = Files.readAllBytes(files.resolve("ok.npy"));
        Files.write(files.resolve("header_cut.npy"), Arrays.copyOf(ok, 40));
        assertMessage("header_cut.npy", ".npy header is truncated", "bytes=40");
        Files.write(files.resolve("data_cut.npy"), Arrays.copyOf(ok, ok.length - 8));
        assertMessage("data_cut.npy", "truncated", "expected=" + ok.length);
        Files.writeString(files.resolve("text.npy"), "a,b\n1,2\n");
        assertMessage("text.npy", "file name says npy but its bytes do not", "path=");
    }

    @Test
    void aGzipStreamCutShortIsAClearError() throws IOException {
        Python.run("""
            import sys, numpy as np
            np.savetxt(sys.argv[1] + "/x.csv.gz", np.arange(200000.0).reshape(-1, 4), delimiter=",",
                       header="a,b,c,d", comments="")
            """, files.toString()).ok();
        byte[] whole = Files.readAllBytes(files.resolve("x.csv.gz"));
        Files.write(files.resolve("cut.csv.gz"), Arrays.copyOf(whole, whole.length / 2));
        MatrixFileException e = assertThrows(MatrixFileException.class, () -> MatrixFile.open(files.resolve("cut.csv.gz")));
        assertTrue(e.getMessage().startsWith("gzip stream is cut short: path="), e.getMessage());
        assertTrue(e.getMessage().contains("line="), e.getMessage());
        assertEquals(50000, MatrixFile.open(files.resolve("x.csv.gz")).nrow());
    }

    private void assertMessage(String file, String... parts) {
        MatrixFileException e = assertThrows(MatrixFileException.class, () -> MatrixFile.open(files.resolve(file)));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
    }

    private static String pythonList(List<String> names) {
        return names.stream().map(n -> "\"" + n + "\"").toList().toString();
    }
}

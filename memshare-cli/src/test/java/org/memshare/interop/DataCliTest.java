package org.memshare.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.cli.Main;
import org.memshare.testing.ChildJvm;
import org.memshare.testing.TempShm;

/**
 * Data in and out on the command line, against a Python process: a matrix NumPy registered with
 * column names is ranked where it is ({@code select --namespace}), with the same result as the same
 * data read from a file; the ranking goes out as CSV and as a bar chart.
 */
class DataCliTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    private String dir;

    @BeforeEach
    void setUp() {
        Python.requireNumpy();
        dir = shm.directory().toString();
    }

    private CliChild.CliChildRun cli(String... args) {
        return CliChild.run(shm.directory(), args);
    }

    /** A CSV whose column "b" depends on the 3-class target, "a" a little, "noise" not at all. */
    private Path writeCsv(int rows) throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder csv = new StringBuilder("noise;a;target;b\n");
        for (int i = 0; i < rows; i++) {
            int cls = random.nextInt(3);
            csv.append(random.nextGaussian()).append(';').append(cls * 0.3 + random.nextGaussian()).append(';')
                .append(cls).append(';').append(cls * 2 + random.nextGaussian() * 0.5).append('\n');
        }
        Path file = shm.directory().resolve("data.csv");
        Files.writeString(file, csv);
        return file;
    }

    @Test
    void aMatrixPythonRegisteredIsRankedInPlaceByColumnNameAsTheFileIs() throws IOException {
        Path csv = writeCsv(900);
        CliChild.CliChildRun fromFile = cli("select", "--input", csv.toString(), "--delimiter", ";", "--target", "target",
            "--discrete-target", "--workers", "1", "--json");
        assertEquals(0, fromFile.code(), fromFile.out());
        try (Python.Held python = new Python.Held("""
                import sys, numpy as np, memshare as ms
                d, csv = sys.argv[1], sys.argv[2]
                data = np.loadtxt(csv, delimiter=";", skiprows=1)
                names = open(csv).readline().strip().split(";")
                ms.register("py", "X", data, columns=names, directory=d)
                ms.register("py", "y", data[:, 2].copy(), directory=d)
                print("registered", flush=True)
                sys.stdin.read()
                """, dir, csv.toString())) {
            assertEquals("registered", python.readLine());
            CliChild.CliChildRun show = cli("show", "py", "X", "--json");
            assertTrue(show.out().endsWith("\"columns\":[\"noise\",\"a\",\"target\",\"b\"]}"), show.out());
            CliChild.CliChildRun byName = cli("select", "--namespace", "py", "--name", "X", "--target", "target", "--discrete-target",
                "--workers", "1", "--json");
            assertEquals(0, byName.code(), byName.out());
            assertEquals(fromFile.out(), byName.out(), "same features, same values, same order");
            CliChild.CliChildRun byIndex = cli("select", "--namespace", "py", "--name", "X", "--target", "3", "--discrete-target",
                "--workers", "1", "--json");
            assertEquals(fromFile.out(), byIndex.out());
            CliChild.CliChildRun byVector = cli("select", "--namespace", "py", "--name", "X", "--target-variable", "y",
                "--discrete-target", "--workers", "1", "--json");
            assertEquals(0, byVector.code(), byVector.out());
            assertTrue(byVector.out().startsWith("{\"target\":\"y\",\"features\":["), byVector.out());
            assertTrue(byVector.out().contains("{\"name\":\"target\",\"mi\":"), "the column is a feature now");
            for (String feature : fromFile.out().substring(fromFile.out().indexOf('[') + 1).split("\\},?")) {
                if (!feature.startsWith("]")) {
                    assertTrue(byVector.out().contains(feature + "}"), "same score for " + feature + ": " + byVector.out());
                }
            }
            assertEquals(1, cli("select", "--namespace", "py", "--name", "X", "--target", "nope").code());
            assertEquals(2, cli("select", "--namespace", "py", "--target", "b").code(), "--name missing: usage");
            assertEquals(2, cli("select", "--input", csv.toString(), "--target-variable", "y").code());
        }
    }

    @Test
    void theRankingGoesOutAsCsvAndAsABarChartOfTheTopK() throws IOException {
        Path csv = writeCsv(600);
        Path table = shm.directory().resolve("ranking.csv");
        Path png = shm.directory().resolve("ranking.png");
        CliChild.CliChildRun run = cli("select", "--input", csv.toString(), "--delimiter", ";", "--target", "target", "--discrete-target",
            "--workers", "1", "--top", "2", "--output", table.toString(), "--plot", png.toString());
        assertEquals(0, run.code(), run.out());
        List<String> rows = Files.readAllLines(table);
        assertEquals("name,mi,rank", rows.get(0));
        assertEquals(4, rows.size(), "every feature, not only the top 2: " + rows);
        assertTrue(rows.get(1).startsWith("b,") && rows.get(1).endsWith(",1"), rows.get(1));
        assertTrue(rows.get(3).startsWith("noise,") && rows.get(3).endsWith(",3"), rows.get(3));
        // The CSV reads back with NumPy, names and values.
        String numpy = Python.run("""
            import sys, numpy as np
            t = np.genfromtxt(sys.argv[1], delimiter=",", names=True, dtype=None, encoding="utf-8")
            print(list(t.dtype.names), [str(n) for n in t["name"]], bool(np.all(np.diff(t["mi"]) <= 0)), list(t["rank"]))
            """, table.toString()).ok().strip();
        assertEquals("['name', 'mi', 'rank'] ['b', 'a', 'noise'] True [1, 2, 3]", numpy);

        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(900, image.getWidth());
        assertEquals(56 + 2 * 28 + 44, image.getHeight(), "title, two bar rows, axis");
        assertEquals(2, countBars(image), "one bar per top feature");

        Path demoPng = shm.directory().resolve("demo.png");
        CliChild.CliChildRun demo = cli("demo", "--rows", "1500", "--features", "12", "--workers", "1", "--top", "7", "--plot",
            demoPng.toString());
        assertEquals(0, demo.code(), demo.out());
        assertEquals(7, countBars(ImageIO.read(demoPng.toFile())));
    }

    /** Counts the runs of rows holding the bar colour in the first column of the bars (every bar is at least 1 pixel long). */
    private static int countBars(BufferedImage image) {
        int x = 240;
        int bars = 0;
        boolean inBar = false;
        for (int y = 0; y < image.getHeight(); y++) {
            boolean bar = (image.getRGB(x, y) & 0xffffff) == 0x2f6db5;
            if (bar && !inBar) {
                bars++;
            }
            inBar = bar;
        }
        return bars;
    }

    @Test
    void loadTakesNumpyFilesAndKeepsTheirType() throws IOException {
        Python.run("""
            import sys, numpy as np
            np.save(sys.argv[1] + "/m.npy", np.arange(12, dtype="<i4").reshape(3, 4))
            """, dir).ok();
        try (ChildJvm loader = ChildJvm.start(Map.of("MEMSHARE_DIR", dir), Main.class,
            "load", dir + "/m.npy", "--namespace", "np", "--name", "M")) {
            String first = loader.readLine();
            assertTrue(first.startsWith("registered np.M: matrix 3 x 4 int, 48 bytes, layout memshare, from npy"), first);
            String attached = Python.run("""
                import sys, numpy as np, memshare as ms
                m = ms.attach("np", "M", directory=sys.argv[1])
                print(m.dtype.str, bool((m == np.arange(12).reshape(3, 4)).all()), m.columns)
                """, dir).ok().strip();
            assertEquals("<i4 True None", attached);
            loader.closeInput();
            assertEquals(0, loader.waitFor());
        }
    }
}

package org.memshare.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.cli.Main;
import org.memshare.registry.MatrixView;
import org.memshare.registry.MemShare;
import org.memshare.registry.SegmentCensus;
import org.memshare.registry.StorageLayout;
import org.memshare.segment.Access;
import org.memshare.segment.StoreKind;
import org.memshare.testing.ChildJvm;
import org.memshare.testing.TempShm;

/** The command line in both layouts: {@code load --r-layout}, {@code show --r-layout}, {@code ls}. */
class CliInteropTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    private List<String> runCli(String... args) {
        try (ChildJvm child = ChildJvm.start(Map.of("MEMSHARE_DIR", shm.directory().toString()), Main.class, args)) {
            child.closeInput();
            List<String> lines = new ArrayList<>();
            for (String line; (line = child.readLine()) != null; ) {
                lines.add(line);
            }
            assertEquals(0, child.waitFor(), "exit code of memshare " + String.join(" ", args) + ": " + lines);
            return lines;
        }
    }

    @Test
    void loadWithRLayout_holdsInRsLayout_showAndLsSeeIt() throws IOException {
        Python.requireNumpy();
        Path csv = shm.directory().resolve("data.csv");
        Files.writeString(csv, "a,b,c\n1,2,3\n4,5,6.5\n");
        MemShare memShare = MemShare.forDirectory(shm.directory());
        try (ChildJvm loader = ChildJvm.start(Map.of("MEMSHARE_DIR", shm.directory().toString()), Main.class,
            "load", csv.toString(), "--namespace", "cli", "--name", "X", "--r-layout")) {
            String first = loader.readLine();
            assertNotNull(first);
            assertTrue(first.startsWith("registered cli.X: matrix 2 x 3 double, 48 bytes, layout r-memshare"), first);

            // R's two objects, exactly as R memshare would have written them.
            String bytes = Python.run("""
                import os, struct, sys
                d = sys.argv[1]
                md = open(os.path.join(d, "cli.md.X"), "rb").read()
                data = open(os.path.join(d, "cli.X"), "rb").read()
                print(len(md), *struct.unpack("<i4xQQ", md), len(data), *struct.unpack("<6d", data))
                """, shm.directory().toString()).ok().strip();
            assertEquals("24 0 2 3 48 1.0 4.0 2.0 5.0 3.0 6.5", bytes);
            assertFalse(Files.exists(shm.directory().resolve("memshare.cli.X")), "the default layout is not used");

            try (MatrixView x = (MatrixView) memShare.retrieveView("cli", "X", Access.READ_ONLY, StorageLayout.R_MEMSHARE)) {
                assertEquals(6.5, x.get(1, 2));
            }

            List<String> show = runCli("show", "cli", "X", "--r-layout", "--json");
            assertEquals(List.of("{\"kind\":\"matrix\",\"type\":\"double\",\"shape\":[2,3],\"bytes\":48,"
                + "\"layout\":\"r-memshare\",\"sum\":21.5,\"min\":1.0,\"max\":6.5,\"store\":\"" + StoreKind.configured().label() + "\"}"), show);

            List<String> ls = runCli("ls", "--json");
            assertEquals(List.of("[{\"namespace\":\"cli\",\"name\":\"X\",\"kind\":\"matrix\",\"type\":\"double\","
                + "\"shape\":[2,3],\"bytes\":72,\"owner_pid\":0,\"owner_alive\":null,\"layout\":\"r-memshare\","
                + "\"state\":\"ready\",\"store\":\"" + StoreKind.configured().label() + "\"}]"), ls);
            List<String> table = runCli("ls");
            assertTrue(table.stream().anyMatch(l -> l.startsWith("cli ") && l.contains(" X ") && l.endsWith("r-memshare")),
                String.join("\n", table));

            // gc never reclaims R's layout: it records no owner.
            assertEquals(List.of(), memShare.census().orphans());

            loader.closeInput();
            assertEquals(0, loader.waitFor());
        }
        try (Stream<Path> left = Files.list(shm.directory())) {
            assertEquals(List.of("data.csv"), left.map(p -> p.getFileName().toString()).toList(),
                "the loader unlinks both objects when it lets go");
        }
    }

    @Test
    void showRLayout_ofAnIndependentlyWrittenList_andDefaultLayoutDoesNotSeeIt() throws IOException {
        Python.requireNumpy();
        Python.run("""
            import os, struct, sys
            d = sys.argv[1]
            open(os.path.join(d, "r.md.L"), "wb").write(struct.pack("<i4xQQ", 2, 2, 3) + struct.pack("<i4xQQ", 1, 1, 0)
                + struct.pack("<i4xQQ", 1, 2, 0))
            open(os.path.join(d, "r.L"), "wb").write(struct.pack("<2Q", 0, 1) + struct.pack("<3d", -2.0, 4.0, 8.0))
            """, shm.directory().toString()).ok();
        assertEquals(List.of("{\"kind\":\"list\",\"type\":null,\"shape\":[2],\"bytes\":24,\"layout\":\"r-memshare\","
            + "\"sum\":10.0,\"min\":-2.0,\"max\":8.0,\"store\":\"" + StoreKind.configured().label() + "\"}"), runCli("show", "r", "L", "--r-layout", "--json"));
        List<SegmentCensus.Entry> entries = MemShare.forDirectory(shm.directory()).census().list();
        assertEquals(1, entries.size());
        assertEquals(StorageLayout.R_MEMSHARE, entries.getFirst().layout());
        assertNull(entries.getFirst().elementType());
        try (ChildJvm child = ChildJvm.start(Map.of("MEMSHARE_DIR", shm.directory().toString()), Main.class,
            "show", "r", "L", "--json")) {
            child.closeInput();
            while (child.readLine() != null) {
                // drain
            }
            assertEquals(1, child.waitFor(), "without --r-layout the variable is not found");
        }
    }
}

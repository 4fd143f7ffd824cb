package org.memshare.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.registry.MemShare;
import org.memshare.registry.Variable;
import org.memshare.testing.ChildJvm;

/**
 * Java and Python choose the file store and its default directory the same way: a JVM with
 * {@code MEMSHARE_STORE=file} registers in its default directory, Python with the same environment
 * finds the same directory and attaches the variable from it.
 */
@Timeout(120)
class FileStoreInteropTest {
    @TempDir
    Path temporary;

    /** Registers {@code fs.X} in the default store and directory, prints the directory, holds until stdin closes. */
    public static final class Register {
        public static void main(String[] args) throws Exception {
            MemShare memShare = MemShare.system();
            memShare.register("fs", "X", Variable.matrix(2, 3, new double[] {1, 2, 3, 4, 5, 6.5}));
            System.out.println(memShare.storeKind().label() + " " + memShare.directory());
            System.out.flush();
            System.in.read();
            memShare.releaseVariables("fs", "X");
        }
    }

    @Test
    void javaAndPythonAgreeOnTheFileStoreAndItsDefaultDirectory() throws Exception {
        Python.requireNumpy();
        Map<String, String> environment = Map.of("MEMSHARE_STORE", "file", "TMPDIR", temporary.toString());
        try (ChildJvm child = ChildJvm.start(environment, Register.class)) {
            String[] line = child.readLine().split(" ", 2);
            assertEquals("file", line[0]);
            Path directory = Path.of(line[1]);
            assertEquals(temporary, directory.getParent());
            assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS)));
            String out = Python.run("""
                import os, sys
                os.environ["MEMSHARE_STORE"] = "file"
                os.environ["TMPDIR"] = sys.argv[1]
                import memshare as ms
                x = ms.attach("fs", "X")
                entry = ms.list_namespace("fs")[0]
                print(ms._default_directory(), entry["store"], entry["owner_alive"], list(x.sum(axis=0)))
                """, temporary.toString()).ok().strip();
            assertEquals(directory + " file True [3.0, 7.0, 11.5]", out);
            child.closeInput();
            assertEquals(0, child.waitFor());
            try (var left = Files.list(directory)) {
                assertEquals(0, left.count(), "released on exit");
            }
        }
    }
}

package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.registry.MemShare;
import org.memshare.testing.TempShm;

/** A function class the workers cannot find is named in the failure, with the option that makes it work. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClassPathTest {
    @RegisterExtension
    final TempShm shm = new TempShm();

    @TempDir
    Path classes;

    private Cluster cluster;

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
        assertTrue(Fixtures.liveWorkers().isEmpty(), "worker JVMs left running");
        assertEquals(List.of(), Fixtures.files(shm.directory()), "segments left behind");
    }

    /** Defines classes from bytes, without a code source: nothing tells where they came from. */
    private static final class BytesLoader extends ClassLoader {
        private final Path classes;

        BytesLoader(Path classes, ClassLoader parent) {
            super(parent);
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            try {
                byte[] bytes = Files.readAllBytes(classes.resolve(name.replace('.', '/') + ".class"));
                return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }

    @Test
    void aFunctionClassFromNowhereKnownIsNamedWithTheOptionToSetAndThatOptionWorks() throws Exception {
        Path source = classes.resolve("OffClassPath.java");
        Files.writeString(source, """
            public class OffClassPath implements org.memshare.apply.MarginFunction<Object> {
                public Object apply(org.memshare.registry.VectorView slice, org.memshare.apply.Vars vars) {
                    return slice.sum();
                }
            }
            """);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-cp", System.getProperty("java.class.path"), "-d", classes.toString(),
            source.toString()), "compiled");
        @SuppressWarnings("unchecked")
        MarginFunction<Object> function = (MarginFunction<Object>) new BytesLoader(classes, getClass().getClassLoader())
            .loadClass("OffClassPath").getConstructor().newInstance();
        cluster = Cluster.processes(1, MemShare.forDirectory(shm.directory()));
        ApplyException e = assertThrows(ApplyException.class,
            () -> Apply.memApply(new double[][] {{1, 2}}).cluster(cluster).run(function));
        assertTrue(e.getMessage().startsWith("job could not start in a worker: "), e.getMessage());
        assertTrue(e.getMessage().contains(", cause=java.lang.ClassNotFoundException: OffClassPath"), e.getMessage());
        assertTrue(e.getMessage().contains("WorkerOptions.classPath or modulePath sets them"), e.getMessage());
        cluster.close();

        List<Path> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.add(Path.of(entry));
        }
        classPath.add(classes);
        cluster = Cluster.processes(1, MemShare.forDirectory(shm.directory()),
            WorkerOptions.builder().classPath(classPath).build());
        assertEquals(List.of(1.0, 2.0), Apply.memApply(new double[][] {{1, 2}}).cluster(cluster).run(function));
    }
}

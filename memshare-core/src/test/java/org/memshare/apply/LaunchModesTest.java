package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.registry.MemShare;
import org.memshare.segment.internal.OperatingSystem;
import org.memshare.testing.ConsumerApp;
import org.memshare.testing.TempShm;

/**
 * Worker JVMs start wherever the parent runs: an application on the module path, in a single
 * shaded jar, in a class loader of its own (as under {@code mvn exec:java}); and what the user sets in
 * {@link WorkerOptions} is used as given. Each test runs real parent and worker JVMs. (The plain class
 * path is what every other process-cluster test uses; {@code mvn exec:java} against the installed
 * artifacts is tested in memshare-cli, once the jar exists.)
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LaunchModesTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(120);

    @RegisterExtension
    final TempShm shm = new TempShm();

    @TempDir
    Path work;

    @AfterEach
    void nothingLeft() {
        assertTrue(Fixtures.liveWorkers().isEmpty(), "worker JVMs left running");
        assertEquals(List.of(), Fixtures.files(shm.directory()), "segments left behind");
    }

    private static void javac(String... args) {
        JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code = javac.run(null, errors, errors, args);
        assertEquals(0, code, () -> "javac " + String.join(" ", args) + "\n" + errors.toString(StandardCharsets.UTF_8));
    }

    private static String[] concat(List<String> first, List<Path> files) {
        List<String> all = new ArrayList<>(first);
        files.forEach(f -> all.add(f.toString()));
        return all.toArray(String[]::new);
    }

    /** Compiles the consumer application against memshare's classes into {@code into}. */
    private void compileOnClassPath(Path into) throws IOException {
        javac(concat(List.of("-cp", ConsumerApp.memshareClasses().toString(), "-d", into.toString()),
            ConsumerApp.writeSources(work, false)));
    }

    private void assertConsumerOutput(ConsumerApp.Run run) {
        assertEquals(0, run.exitCode(), run::describe);
        assertTrue(run.lines().containsAll(ConsumerApp.EXPECTED), run::describe);
    }

    @Test
    void anApplicationModuleOnTheModulePath() throws IOException {
        Path memshare = ConsumerApp.memshareClasses();
        assertTrue(Files.isRegularFile(memshare.resolve("module-info.class")) || memshare.toString().endsWith(".jar"),
            "memshare's classes form module org.memshare: " + memshare);
        Path classes = work.resolve("mods/consumer");
        javac(concat(List.of("--module-path", memshare.toString(), "-d", classes.toString()),
            ConsumerApp.writeSources(work, true)));
        // No class path at all: the parent finds memshare and the application only as modules.
        ConsumerApp.Run run = ConsumerApp.run(List.of(ConsumerApp.java().toString(), "--enable-native-access=org.memshare",
            "--module-path", memshare + File.pathSeparator + classes, "-m", ConsumerApp.MODULE + "/" + ConsumerApp.MAIN_CLASS,
            shm.directory().toString()), work, Map.of(), CHILD_TIMEOUT);
        assertConsumerOutput(run);
    }

    @Test
    void aSingleShadedJar() throws IOException {
        Path memshare = ConsumerApp.memshareClasses();
        Path staging = work.resolve("shade");
        compileOnClassPath(staging);
        // Shading merges the library's classes into the application's jar; its module descriptor is dropped.
        try (Stream<Path> files = Files.walk(memshare)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path relative = memshare.relativize(file);
                if (!relative.toString().equals("module-info.class")) {
                    Files.createDirectories(staging.resolve(relative).getParent());
                    Files.copy(file, staging.resolve(relative));
                }
            }
        }
        Path manifest = Files.writeString(work.resolve("MANIFEST.MF"), "Enable-Native-Access: ALL-UNNAMED\n");
        Path jar = work.resolve("app.jar");
        ToolProvider jarTool = ToolProvider.findFirst("jar").orElseThrow();
        assertEquals(0, jarTool.run(System.out, System.err, "--create", "--file", jar.toString(), "--manifest",
            manifest.toString(), "--main-class", ConsumerApp.MAIN_CLASS, "-C", staging.toString(), "."));
        ConsumerApp.Run run = ConsumerApp.run(List.of(ConsumerApp.java().toString(), "-jar", jar.toString(),
            shm.directory().toString()), work, Map.of(), CHILD_TIMEOUT);
        assertConsumerOutput(run);
    }

    /**
     * As under {@code mvn exec:java}: the library and the application live in a class loader of their
     * own whose entries are not on {@code java.class.path}, and main runs with it as context loader.
     */
    @Test
    void anApplicationInItsOwnClassLoaderAsUnderMavenExecJava() throws Exception {
        Path memshare = ConsumerApp.memshareClasses();
        Path classes = work.resolve("classes");
        compileOnClassPath(classes);
        assertFalse(System.getProperty("java.class.path").contains(classes.toString()));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        ClassLoader savedContext = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL(), memshare.toUri().toURL()},
            ClassLoader.getPlatformClassLoader())) {
            Class<?> main = loader.loadClass(ConsumerApp.MAIN_CLASS);
            assertTrue(main.getClassLoader() == loader && loader.loadClass(Cluster.class.getName()) != Cluster.class,
                "the application and its own copy of memshare are loaded apart from this JVM's class path");
            Method entry = main.getMethod("main", String[].class);
            Thread.currentThread().setContextClassLoader(loader);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            entry.invoke(null, (Object) new String[] {shm.directory().toString()});
        } finally {
            System.setOut(savedOut);
            Thread.currentThread().setContextClassLoader(savedContext);
        }
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.containsAll(ConsumerApp.EXPECTED), lines.toString());
    }

    @Test
    void aFunctionFromALoaderMadeAfterTheClusterRestartsTheWorkersWithItsClassPath() throws Exception {
        Path classes = work.resolve("classes");
        compileOnClassPath(classes);
        List<String> log = new CopyOnWriteArrayList<>();
        MemShare registry = MemShare.forDirectory(shm.directory());
        try (ProcessCluster cluster = Cluster.processes(1, registry, WorkerOptions.defaults().withLog(log::add));
             URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            assertEquals(List.of(3.0), Apply.memApply(new double[][] {{1, 2}}).rows().cluster(cluster)
                .run((row, vars) -> row.sum()));
            @SuppressWarnings("unchecked")
            MarginFunction<Double> scaled = (MarginFunction<Double>) instantiate(loader.loadClass(ConsumerApp.MAIN_CLASS + "$Scaled"));
            assertEquals(List.of(30.0), Apply.memApply(new double[][] {{1, 2}}).rows().cluster(cluster).run(scaled));
        }
        assertTrue(log.stream().anyMatch(l -> l.startsWith("[memshare] restarting the workers with the function's class path")
            && l.contains(classes.toString())), log.toString());
    }

    /** A JVM option that prints to standard output at start: the text goes to the log, the channel still works. */
    @Test
    void whatTheJvmPrintsToStandardOutputAtStartIsLoggedNotReadAsFrames() {
        List<String> log = new CopyOnWriteArrayList<>();
        WorkerOptions options = WorkerOptions.builder().jvmOptions("-XX:+PrintCommandLineFlags").log(log::add).build();
        try (ProcessCluster cluster = Cluster.processes(1, MemShare.forDirectory(shm.directory()), options)) {
            assertEquals(List.of(3.0), Apply.memApply(new double[][] {{1, 2}}).rows().cluster(cluster)
                .run((row, vars) -> row.sum()));
        }
        assertTrue(log.stream().anyMatch(l -> l.startsWith("[worker 0] (stdout) ") && l.contains("-XX:+PrintCommandLineFlags")),
            log.toString());
    }

    private static Object instantiate(Class<?> type) throws ReflectiveOperationException {
        var constructor = type.getDeclaredConstructor(double.class);
        constructor.setAccessible(true);
        return constructor.newInstance(10.0);
    }

    @Test
    void aClassPathTheUserSetIsUsedAsGivenAndAMissingLibrarySaysWhatToSet() throws IOException {
        Path empty = Files.createDirectories(work.resolve("empty"));
        WorkerOptions options = WorkerOptions.builder().classPath(List.of(empty)).log(line -> { }).build();
        try (ProcessCluster cluster = Cluster.processes(1, MemShare.forDirectory(shm.directory()), options)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, cluster::awaitReady);
            String message = e.getMessage();
            assertTrue(message.startsWith("worker exited before it was ready: worker=0"), message);
            assertTrue(message.contains("set WorkerOptions.classPath (or modulePath)"), message);
            assertTrue(message.contains("command: " + ConsumerApp.java() + " "), message);
            assertTrue(message.contains("-cp " + empty + " org.memshare.apply.WorkerMain"), message);
            assertTrue(message.contains("Could not find or load main class org.memshare.apply.WorkerMain"), message);
        }
    }

    @Test
    void aJavaHomeWithoutJavaSaysWhatToSet() {
        WorkerOptions options = WorkerOptions.builder().javaHome(work.resolve("no-jdk")).build();
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
            () -> Cluster.processes(1, MemShare.forDirectory(shm.directory()), options));
        assertTrue(e.getMessage().contains("java=" + work.resolve("no-jdk/bin/java")), e.getMessage());
        assertTrue(e.getMessage().contains("set WorkerOptions.javaHome"), e.getMessage());
    }

    @Test
    void theUsersJvmOptionsReplaceTheDefaultsOfTheSameSettingOnly() {
        WorkerOptions options = WorkerOptions.builder().jvmOptions("-Xmx300m", "-XX:+UseParallelGC").log(line -> { }).build();
        List<String> effective = options.effectiveJvmOptions();
        assertFalse(effective.contains("-Xmx512m"), effective.toString());
        assertFalse(effective.contains("-XX:+UseSerialGC"), effective.toString());
        assertTrue(effective.containsAll(List.of("-Xms8m", "-Xmx300m", "-XX:+UseParallelGC")), effective.toString());
        assertEquals(List.of("-Xmx300m", "-XX:+UseParallelGC"), effective.subList(effective.size() - 2, effective.size()),
            "the user's options come last, so the JVM honours them");
        assertEquals(List.of("-Xmx1g"), WorkerOptions.builder().jvmOptions("-Xmx1g").defaultJvmOptions(false).build()
            .effectiveJvmOptions());
        assertEquals(WorkerOptions.DEFAULT_JVM_OPTIONS, WorkerOptions.defaults().effectiveJvmOptions());
        try (ProcessCluster cluster = Cluster.processes(1, MemShare.forDirectory(shm.directory()), options)) {
            List<String> seen = Apply.memApply(new double[][] {{1}}).cluster(cluster).run((column, vars) -> String.join(" ",
                ProcessHandle.current().info().arguments().orElseThrow()));
            assertTrue(seen.getFirst().contains("-Xmx300m") && !seen.getFirst().contains("-Xmx512m"), seen.getFirst());
            assertTrue(seen.getFirst().contains("-XX:+UseParallelGC") && !seen.getFirst().contains("-XX:+UseSerialGC"),
                seen.getFirst());
        }
    }

    @Test
    void workersMapTheClassDataUnrelocatedUnlessTheUserChoosesAnotherMapping() {
        List<String> defaults = WorkerOptions.defaults().effectiveJvmOptions();
        assertTrue(defaults.containsAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0",
            "-XX:CompileCommand=quiet")), defaults.toString());
        for (String command : List.of("-XX:CompileCommand=CompileThresholdScaling,jdk/internal/classfile/impl/*.*,10.0",
                "-XX:CompileCommand=exclude,jdk/internal/classfile/impl/StackMapGenerator.processBlock")) {
            assertTrue(defaults.contains(command), defaults.toString());
            assertTrue(defaults.indexOf("-XX:CompileCommand=quiet") < defaults.indexOf(command),
                "quiet comes first, so no compile command prints on the workers' channel: " + defaults);
        }
        assertTrue(defaults.contains("-XX:StringTableSize=4096"), defaults.toString());
        assertEquals("-XX:StringTableSize=65536", WorkerOptions.builder().jvmOptions("-XX:StringTableSize=65536").build()
            .effectiveJvmOptions().getLast(), "a table size of the user's comes last, so the JVM takes it");
        assertTrue(WorkerOptions.defaultsFor(OperatingSystem.of("Linux")).contains("-XX:TrimNativeHeapInterval=1000"));
        assertFalse(WorkerOptions.defaultsFor(OperatingSystem.of("Mac OS X")).stream()
            .anyMatch(option -> option.startsWith("-XX:TrimNativeHeapInterval")), "the JVM trims on Linux only");
        List<String> relocating = WorkerOptions.builder().jvmOptions("-XX:ArchiveRelocationMode=1").build().effectiveJvmOptions();
        assertFalse(relocating.contains("-XX:ArchiveRelocationMode=0"), relocating.toString());
        // The defaults start a worker that answers (a JVM refusing one, or printing on stdout, would not).
        try (ProcessCluster cluster = Cluster.processes(1, MemShare.forDirectory(shm.directory()),
            WorkerOptions.defaults().withLog(line -> { }))) {
            List<String> seen = Apply.memApply(new double[][] {{1}}).cluster(cluster).run((column, vars) -> String.join(" ",
                ProcessHandle.current().info().arguments().orElseThrow()));
            assertTrue(seen.getFirst().contains("-XX:ArchiveRelocationMode=0"), seen.getFirst());
            assertTrue(seen.getFirst().contains("-XX:StringTableSize=4096"), seen.getFirst());
        }
    }
}

package org.memshare.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.memshare.apply.Apply;
import org.memshare.apply.Cluster;
import org.memshare.apply.ProcessCluster;
import org.memshare.apply.WorkerOptions;
import org.memshare.registry.MemShare;

/** The {@code WorkerOptions} example of docs/APPLY.md, as the document shows it (checked by {@link DocSnippetsTest}). */
class WorkerOptionsDocExamplesTest {
    @RegisterExtension
    final DocExamples docs = new DocExamples();

    @Test
    @Timeout(120)
    void workerOptionsSetWhatIsNotDerived() {
        List<String> log = new CopyOnWriteArrayList<>();
        // This JVM's own class path, given explicitly (an application would name its jars).
        List<Path> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.add(Path.of(entry));
        }
        String printed = StandardOutput.capture(() -> {
            // docs:begin worker-options
            // Only the log elsewhere; everything else derived.
            WorkerOptions quiet = WorkerOptions.defaults().withLog(line -> log.add(line));

            // Explicit: the JDK, the class path (e.g. List.of(Path.of("lib/app.jar"),
            // Path.of("lib/memshare-core-0.2.0.jar"))) and a larger heap.
            WorkerOptions explicit = WorkerOptions.builder()
                .javaHome(Path.of(System.getProperty("java.home")))
                .classPath(classPath)
                .jvmOptions("-Xmx1g")                  // replaces the default -Xmx only
                .build();

            // A module path (it must hold org.memshare and the application's modules).
            WorkerOptions modular = WorkerOptions.builder().modulePath(List.of(Path.of("mods"))).build();

            try (ProcessCluster cluster = Cluster.processes(2, MemShare.system(), explicit)) {
                List<Double> sums = Apply.memApply(new double[][] {{1, 2}, {3, 4}}).columns().cluster(cluster)
                    .run((column, vars) -> column.sum());
                System.out.println(sums);              // [4.0, 6.0]
            }
            // docs:end worker-options
            assertTrue(quiet.effectiveJvmOptions().containsAll(WorkerOptions.DEFAULT_JVM_OPTIONS));
            assertEquals(List.of(Path.of("mods")), modular.modulePath());
        });
        assertEquals("[4.0, 6.0]", printed.strip());
    }
}

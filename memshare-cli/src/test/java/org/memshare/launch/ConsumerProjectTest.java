package org.memshare.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.memshare.testing.ConsumerApp;
import org.memshare.testing.TempShm;

/**
 * A Maven project of a user, made in a temporary directory, depends on {@code org.memshare:memshare-core}
 * installed (jar and pom, as {@code ./mvnw install} would) into a private local repository, and runs
 * memApply on {@code Cluster.processes(2)}: with {@code mvn exec:java} (the application in a class
 * loader of the plugin, {@code java.class.path} naming Maven's launcher) and from the module path.
 * Maven is the wrapper's; plugins come from {@code ~/.m2/repository} read as a file:// repository
 * (falling back to Maven Central), so nothing is written to the shared local repository.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConsumerProjectTest {
    private static final Duration MAVEN_TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    static Path work;

    private static Path root;
    private static Path project;
    private static Path repository;
    private static Path coreJar;
    private static Path projectSettings;
    private static Map<String, String> environment;

    @RegisterExtension
    final TempShm shm = new TempShm();

    @BeforeAll
    static void buildTheConsumerProject() throws IOException {
        root = Path.of("").toAbsolutePath().getParent();
        Path coreTarget = root.resolve("memshare-core/target");
        Path built;
        try (Stream<Path> jars = Files.exists(coreTarget) ? Files.list(coreTarget) : Stream.empty()) {
            built = jars.filter(p -> p.getFileName().toString().matches("memshare-core-[0-9][^-]*(-SNAPSHOT)?\\.jar"))
                .findFirst().orElseThrow(() -> new AssertionError("memshare-core is not packaged yet: " + coreTarget
                    + " (run through the reactor, e.g. ./mvnw verify, or -pl memshare-cli -am)"));
        }
        String name = built.getFileName().toString();
        String version = name.substring("memshare-core-".length(), name.length() - ".jar".length());
        repository = work.resolve("repository");
        environment = Map.of("JAVA_HOME", System.getProperty("java.home"),
            "MAVEN_OPTS", "--enable-native-access=ALL-UNNAMED");
        Path settings = Files.writeString(work.resolve("settings.xml"), """
            <settings>
              <localRepository>%s</localRepository>
              <profiles>
                <profile>
                  <id>read-shared-cache</id>
                  <repositories>
                    <repository><id>shared-cache</id><url>%s</url><snapshots><enabled>false</enabled></snapshots></repository>
                  </repositories>
                  <pluginRepositories>
                    <pluginRepository><id>shared-cache</id><url>%s</url><snapshots><enabled>false</enabled></snapshots></pluginRepository>
                  </pluginRepositories>
                </profile>
              </profiles>
              <activeProfiles><activeProfile>read-shared-cache</activeProfile></activeProfiles>
            </settings>
            """.formatted(repository, sharedCache(), sharedCache()));
        // What ./mvnw install puts there for memshare-core: the parent pom, the jar and its pom.
        maven(work, "-s", settings.toString(), "org.apache.maven.plugins:maven-install-plugin:3.1.4:install-file",
            "-Dfile=" + root.resolve("pom.xml"), "-DpomFile=" + root.resolve("pom.xml"), "-Dpackaging=pom");
        maven(work, "-s", settings.toString(), "org.apache.maven.plugins:maven-install-plugin:3.1.4:install-file",
            "-Dfile=" + built, "-DpomFile=" + root.resolve("memshare-core/pom.xml"));
        coreJar = repository.resolve("org/memshare/memshare-core/" + version + "/memshare-core-" + version + ".jar");
        assertTrue(Files.isRegularFile(coreJar), "installed: " + coreJar);

        project = Files.createDirectories(work.resolve("consumer"));
        ConsumerApp.writeSources(project, true);
        Files.writeString(project.resolve("pom.xml"), """
            <project xmlns="http://maven.apache.org/POM/4.0.0">
              <modelVersion>4.0.0</modelVersion>
              <groupId>com.example</groupId>
              <artifactId>consumer</artifactId>
              <version>1.0</version>
              <properties>
                <maven.compiler.release>25</maven.compiler.release>
                <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                <exec.mainClass>%s</exec.mainClass>
              </properties>
              <dependencies>
                <dependency>
                  <groupId>org.memshare</groupId>
                  <artifactId>memshare-core</artifactId>
                  <version>%s</version>
                </dependency>
              </dependencies>
              <build>
                <pluginManagement>
                  <plugins>
                    <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                    <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version></plugin>
                    <plugin><groupId>org.codehaus.mojo</groupId><artifactId>exec-maven-plugin</artifactId><version>3.5.0</version></plugin>
                  </plugins>
                </pluginManagement>
              </build>
            </project>
            """.formatted(ConsumerApp.MAIN_CLASS, version));
        maven(project, "-s", settings.toString(), "compile");
        projectSettings = settings;
    }

    private static String sharedCache() {
        return Path.of(System.getProperty("user.home"), ".m2", "repository").toUri().toString();
    }

    private static ConsumerApp.Run maven(Path directory, String... args) {
        List<String> command = new ArrayList<>(List.of(root.resolve("mvnw").toString(), "-B", "-ntp"));
        command.addAll(List.of(args));
        ConsumerApp.Run run = ConsumerApp.run(command, directory, environment, MAVEN_TIMEOUT);
        assertEquals(0, run.exitCode(), run::describe);
        return run;
    }

    @Test
    void mvnExecJavaRunsMemApplyOnTwoWorkerJvms() {
        ConsumerApp.Run run = maven(project, "-s", projectSettings.toString(), "-q", "exec:java",
            "-Dexec.args=" + shm.directory());
        assertTrue(run.lines().containsAll(ConsumerApp.EXPECTED), run::describe);
    }

    @Test
    void theModulePathRunsMemApplyOnTwoWorkerJvms() {
        ConsumerApp.Run run = ConsumerApp.run(List.of(ConsumerApp.java().toString(), "--enable-native-access=org.memshare",
            "--module-path", project.resolve("target/classes") + File.pathSeparator + coreJar,
            "-m", ConsumerApp.MODULE + "/" + ConsumerApp.MAIN_CLASS, shm.directory().toString()),
            project, Map.of(), MAVEN_TIMEOUT);
        assertEquals(0, run.exitCode(), run::describe);
        assertTrue(run.lines().containsAll(ConsumerApp.EXPECTED), run::describe);
    }
}

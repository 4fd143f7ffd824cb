package org.memshare.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.launcher.JavaModuleOptions;
import org.memshare.testing.TempShm;

/**
 * A real Spark standalone cluster on this machine for one test class: a Master and two Workers (one
 * core each, so every application gets two executor JVMs on this host), started as child JVMs from
 * this class path the way {@code start-master.sh} / {@code start-worker.sh} would, on loopback.
 * Applications reach it at {@link #master()} ({@code spark://127.0.0.1:PORT}). {@link #close()} stops
 * the workers (with their executors) and the master, forcibly after a timeout, and removes the work
 * directory; the {@code spark.*} system properties it sets for applications are cleared.
 */
final class StandaloneCluster implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");
    /** What applications of the tests need: executors that fit the workers, every executor before the first job. */
    private static final Map<String, String> APPLICATION_PROPERTIES = Map.of(
        "spark.executor.memory", "512m",
        "spark.cores.max", "2",
        "spark.driver.host", "127.0.0.1",
        "spark.ui.enabled", "false");

    private final Path work;
    private final List<Process> processes = new ArrayList<>();
    private final String master;

    /**
     * Starts the master and two workers and waits until both workers registered.
     *
     * @throws IllegalStateException when the cluster does not come up within {@link #START_TIMEOUT}
     */
    StandaloneCluster() throws IOException, InterruptedException {
        work = Files.createTempDirectory("memshare-spark-standalone-");
        try {
            String home = System.getenv("SPARK_HOME");
            if (home == null || home.isBlank()) {
                throw new IllegalStateException("the standalone cluster needs SPARK_HOME (set by the build)");
            }
            List<String> directories = SparkSetup.linkClassPath(Path.of(home));
            int port = freePort();
            int webPort = freePort();
            master = "spark://127.0.0.1:" + port;
            processes.add(start("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--webui-port", Integer.toString(webPort))));
            for (int k = 1; k <= 2; k++) {
                processes.add(start("worker" + k, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--cores", "1", "--memory", "700m", "--webui-port", "0", "--work-dir",
                    work.resolve("worker" + k).toString(), master)));
            }
            awaitWorkers(webPort, 2);
            APPLICATION_PROPERTIES.forEach(System::setProperty);
            // The executors' class path: the jars are linked into SPARK_HOME/jars; the build's classes are not jars.
            System.setProperty("spark.executor.extraClassPath", String.join(File.pathSeparator, directories));
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** @return the master URL applications connect to */
    String master() {
        return master;
    }

    private Process start(String name, List<String> mainAndArguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx256m");
        command.addAll(List.of(JavaModuleOptions.defaultModuleOptionArray()));
        command.addAll(List.of("-cp", System.getProperty("java.class.path")));
        command.addAll(mainAndArguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(work.resolve(name + ".log").toFile());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        return builder.start();
    }

    private void awaitWorkers(int webPort, int expected) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/json/"))
            .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        int alive = 0;
        while (System.nanoTime() < deadline) {
            for (Process process : processes) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("a standalone daemon exited: exit=" + process.exitValue() + ", logs=" + logs());
                }
            }
            try {
                Matcher m = ALIVE_WORKERS.matcher(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
                alive = m.find() ? Integer.parseInt(m.group(1)) : 0;
                if (alive >= expected) {
                    return;
                }
            } catch (IOException e) {
                // the master's web UI is not up yet
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("standalone workers did not register: alive=" + alive + ", logs=" + logs());
    }

    private String logs() {
        StringBuilder text = new StringBuilder();
        try (var files = Files.list(work)) {
            for (Path log : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                text.append("\n--- ").append(log.getFileName()).append('\n')
                    .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            }
        } catch (IOException | UncheckedIOException e) {
            text.append(e);
        }
        return text.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Stops workers first (they stop their executors), then the master; whatever outlives the timeout is killed. */
    @Override
    public void close() throws InterruptedException {
        APPLICATION_PROPERTIES.keySet().forEach(System::clearProperty);
        System.clearProperty("spark.executor.extraClassPath");
        List<ProcessHandle> all = new ArrayList<>();
        for (Process process : processes.reversed()) {
            all.addAll(process.descendants().toList());
            all.add(process.toHandle());
            process.destroy();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (ProcessHandle handle : all) {
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                handle.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                handle.destroyForcibly();
            }
        }
        TempShm.deleteRecursively(work);
    }
}

package org.memshare.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.memshare.segment.SegmentDirectory;

/**
 * A {@link SparkConf} that memshare's executors can run under, for a master given on the command line:
 * executors get native access (memshare maps shared memory through {@code java.lang.foreign}) and this
 * process's segment directory; the job waits for every executor; a {@code local-cluster[N,cores,mb]}
 * master gets its {@code SPARK_HOME} filled from this class path; any other master gets memshare's jars
 * shipped with the job.
 *
 * {@snippet :
 * SparkConf conf = SparkSetup.conf("spark://head:7077", "ranking");   // or local-cluster[2,1,1024], yarn, …
 * try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
 *     // SparkApply.memApply(jsc.sc(), …)
 * }
 * }
 */
public final class SparkSetup {
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*]");

    /** The JVM option every executor needs for memshare's downcalls. */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    private static final String LOG_CONFIGURATION = "log4j2.configurationFile";

    private SparkSetup() {
    }

    /**
     * Spark logs at INFO by default; under the command line only its warnings belong on standard
     * error. Call before the first {@code SparkContext} of the process; a configuration the user set
     * ({@code -Dlog4j2.configurationFile=…}) is kept.
     */
    public static void commandLineLogging() {
        if (System.getProperty(LOG_CONFIGURATION) == null) {
            System.setProperty(LOG_CONFIGURATION, "classpath:org/memshare/spark/command-line-log4j2.properties");
        }
    }

    /**
     * A Spark configuration for memshare's jobs on {@code master}.
     *
     * @param master a Spark master URL ({@code local[N]}, {@code local-cluster[N,cores,mb]},
     *     {@code spark://host:port}, {@code yarn}, …)
     * @param appName the application's name
     * @return a configuration to create the {@code SparkContext} from
     * @throws IllegalStateException for {@code local-cluster} without a usable {@code SPARK_HOME}
     */
    public static SparkConf conf(String master, String appName) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName(appName);
        String options = conf.get("spark.executor.extraJavaOptions", "");
        if (!options.contains(NATIVE_ACCESS)) {
            conf.set("spark.executor.extraJavaOptions", (options + " " + NATIVE_ACCESS).strip());
        }
        conf.set("spark.scheduler.minRegisteredResourcesRatio", "1.0");
        SegmentDirectory.named().ifPresent(directory -> conf.setExecutorEnv(SegmentDirectory.ENV, directory.toString()));
        Matcher local = LOCAL_CLUSTER.matcher(master);
        if (local.matches()) {
            prepareLocalCluster(conf, Integer.parseInt(local.group(3)));
        } else if (!master.startsWith("local")) {
            List<String> jars = memshareJars();
            if (!jars.isEmpty()) {
                conf.set("spark.jars", String.join(",", jars));
            }
        }
        return conf;
    }

    /**
     * Executors of {@code local-cluster} are JVMs started from {@code $SPARK_HOME/jars}: link this class
     * path's jars there; directories (classes of a build) go on the executors' extra class path.
     */
    private static void prepareLocalCluster(SparkConf conf, int workerMegabytes) {
        String home = System.getenv("SPARK_HOME");
        if (home == null || home.isBlank()) {
            throw new IllegalStateException("local-cluster needs SPARK_HOME: set it to an empty directory"
                + " (./memshare does), and SPARK_SCALA_VERSION=2.13");
        }
        List<String> directories = linkClassPath(Path.of(home));
        if (!directories.isEmpty()) {
            conf.set("spark.executor.extraClassPath", String.join(File.pathSeparator, directories));
        }
        conf.setIfMissing("spark.executor.memory", workerMegabytes + "m");
    }

    /**
     * Links this class path's jars into {@code home/jars}, where executors a worker starts find their
     * class path (a {@code local-cluster}'s, or a standalone worker's on this machine).
     *
     * @param home the {@code SPARK_HOME} directory, created when missing
     * @return the class path's directories (classes of a build), which executors need on
     *     {@code spark.executor.extraClassPath}
     */
    static List<String> linkClassPath(Path home) {
        Path jars = home.resolve("jars");
        List<String> directories = new ArrayList<>();
        try {
            Files.createDirectories(jars);
            for (String entry : classPath()) {
                Path path = Path.of(entry).toAbsolutePath();
                if (Files.isDirectory(path)) {
                    directories.add(path.toString());
                } else if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
                    Path link = jars.resolve(path.getFileName());
                    if (Files.isSymbolicLink(link) && !Files.readSymbolicLink(link).equals(path)) {
                        Files.delete(link);
                    }
                    if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, path);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare SPARK_HOME for executors: path=" + jars, e);
        }
        return directories;
    }

    /** @return the memshare jars of this class path (shipped to the executors of a real cluster) */
    private static List<String> memshareJars() {
        Set<String> jars = new LinkedHashSet<>();
        for (String entry : classPath()) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("memshare") && name.endsWith(".jar")) {
                jars.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        return List.copyOf(jars);
    }

    private static List<String> classPath() {
        return List.of(System.getProperty("java.class.path").split(File.pathSeparator));
    }
}

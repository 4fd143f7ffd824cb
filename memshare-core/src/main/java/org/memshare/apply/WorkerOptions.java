package org.memshare.apply;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.memshare.segment.internal.OperatingSystem;

/**
 * How the worker JVMs of a {@link ProcessCluster} are started: which JDK, which class path or module
 * path, which JVM options, and where their log lines go. Every setting left unset is derived from
 * this JVM: the JDK it runs on, and the places the library's and the application's classes were
 * loaded from (see {@link ProcessCluster}). A setting given here is used as given, never overridden.
 *
 * {@snippet :
 * // Everything derived; only the log goes elsewhere.
 * WorkerOptions quiet = WorkerOptions.defaults().withLog(line -> { });
 *
 * // Everything explicit: another JDK, the application's jars, a larger heap.
 * WorkerOptions explicit = WorkerOptions.builder()
 *     .javaHome(Path.of("/usr/lib/jvm/jdk-25"))
 *     .classPath(List.of(Path.of("lib/app.jar"), Path.of("lib/memshare-core-0.2.0.jar")))
 *     .jvmOptions("-Xmx4g")                               // replaces the default -Xmx, keeps the others
 *     .build();
 * try (ProcessCluster cluster = Cluster.processes(2, MemShare.system(), explicit)) {
 *     // ...
 * }
 * }
 *
 * <p>Default JVM options ({@link #DEFAULT_JVM_OPTIONS}) are added per setting the user did not make:
 * an option of the user's for the maximum heap replaces the default {@code -Xmx}, one choosing a
 * collector replaces the default collector, and so on ({@link #effectiveJvmOptions()} lists what a
 * worker gets). {@link Builder#defaultJvmOptions(boolean) defaultJvmOptions(false)} drops them all.
 *
 * @param javaHome the JDK (or JRE) whose {@code bin/java} starts the workers; null: this JVM's
 *                 {@code java.home}
 * @param classPath the workers' class path; null: derived from where the library, the calling
 *                  thread's context class loader and each call's function were loaded from
 * @param modulePath the workers' module path, which must hold module {@code org.memshare}; workers
 *                   then start with {@code --add-modules ALL-MODULE-PATH -m org.memshare/…}. Null:
 *                   derived from this JVM's module layer when the library runs as a named module,
 *                   none otherwise
 * @param jvmOptions the user's JVM options, placed after the defaults (so the JVM honours them) and
 *                   before the main class; standard output is the workers' channel: what the JVM
 *                   prints there before the worker's {@code main} runs (such as
 *                   {@code -XX:+PrintCommandLineFlags}) is passed to {@code log}, but an option that
 *                   makes the JVM print there later must log to stderr or a file
 * @param defaultJvmOptions whether {@link #DEFAULT_JVM_OPTIONS} are added for what {@code jvmOptions}
 *                          leaves unset. The ahead-of-time cache beside an application jar (see
 *                          docs/APPLY.md) is added unless {@code jvmOptions} choose class data themselves
 *                          ({@code -XX:AOTCache=}, {@code -XX:AOTMode=off}, {@code -Xshare:…})
 * @param log receives each line a worker writes to stderr, prefixed {@code [worker N]}
 * @param threads the threads each worker computes on, 1 to {@link #MAX_THREADS} (default 1). With more than one, a
 *                worker runs that many chunks of a call at once, so the function must be safe to call
 *                from several threads at once, as on a {@link ThreadCluster}. For the same number of
 *                cores, fewer worker JVMs hold less memory (each JVM costs tens of megabytes) and
 *                compile the function once instead of once per JVM; one JVM per core keeps a
 *                function's static state apart, as R's worker processes do
 */
public record WorkerOptions(Path javaHome, List<Path> classPath, List<Path> modulePath, List<String> jvmOptions,
                            boolean defaultJvmOptions, Consumer<String> log, int threads) {

    /**
     * The JVM options a worker gets for each setting the user leaves unset; they keep an idle worker
     * small without slowing its compiled code (measured with {@code bench mi}, see docs/APPLY.md):
     * <ul>
     * <li>{@code -XX:+UseSerialGC}: no GC threads and the smallest collector data structures; workers
     *     hold views, not data, so their heaps are small and pauses short;</li>
     * <li>{@code -Xmx512m} and {@code -Xms8m}: a small heap that grows only as a function needs it;</li>
     * <li>{@code -XX:ReservedCodeCacheSize=64m}: one process's hot code is far smaller than the 240 MB
     *     reserved by default, and the segmented code heap then needs fewer committed pages;</li>
     * <li>{@code -Xss512k}: worker threads do not recurse deeply;</li>
     * <li>{@code -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0}: the class data archive
     *     (the ahead-of-time cache) is mapped at the address it was made for, so its read-only pages
     *     stay clean and are shared by every JVM that maps it; the JDK's default relocates it to a
     *     random address, which writes (and so copies) every page in every JVM, about 7 MB each;</li>
     * <li>{@code -XX:CompileCommand=quiet} and
     *     {@code -XX:CompileCommand=CompileThresholdScaling,jdk/internal/classfile/impl/*.*,10.0}: the
     *     JDK's class-file generator runs only while a worker starts (it spins the classes behind
     *     foreign-function calls and method handles) but became hot enough for the optimizing
     *     compiler, whose compilation of it takes about 20 MB that the JVM keeps pooled for seconds;
     *     ten times its thresholds keep it on the quick compiler. {@code quiet} keeps the command
     *     off standard output, which is the workers' channel;</li>
     * <li>{@code -XX:CompileCommand=exclude,jdk/internal/classfile/impl/StackMapGenerator.processBlock}:
     *     the generator's largest method (one switch over every bytecode) stays interpreted: even the
     *     quick compiler took about 5 MB to compile it, pooled with the rest, which made an idle
     *     worker about 4 MB larger; interpreted, it makes a worker ready about 3 ms later (83 ms
     *     instead of 79, medians of ten);</li>
     * <li>{@code -XX:StringTableSize=4096}: the JVM's table of interned strings starts with 4,096
     *     buckets instead of 65,536 (512 KB, whose pages the interned strings touch all over); it
     *     grows when a program interns more;</li>
     * <li>{@code -XX:TrimNativeHeapInterval=1000} (on Linux, where the JVM supports it): once a second
     *     the C library gives the memory the JVM freed (the compilers' work areas above all) back to
     *     the system, instead of keeping it.</li>
     * </ul>
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = defaultsFor(OperatingSystem.current());

    /** The defaults on one system: trimming the native heap is for Linux only (elsewhere the JVM warns). */
    static List<String> defaultsFor(OperatingSystem system) {
        List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xmx512m", "-Xms8m",
            "-XX:ReservedCodeCacheSize=64m", "-Xss512k", "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0",
            "-XX:CompileCommand=quiet", "-XX:CompileCommand=CompileThresholdScaling,jdk/internal/classfile/impl/*.*,10.0",
            "-XX:CompileCommand=exclude,jdk/internal/classfile/impl/StackMapGenerator.processBlock", "-XX:StringTableSize=4096"));
        if (system instanceof OperatingSystem.Linux) {
            options.add("-XX:TrimNativeHeapInterval=1000");
        }
        return List.copyOf(options);
    }

    /** One setting a JVM option makes, so a user's option of a kind replaces the default of that kind. */
    private enum Setting {
        MAX_HEAP("-Xmx", "-XX:MaxHeapSize=", "-XX:MaxRAM=", "-XX:MaxRAMPercentage=", "-XX:MaxRAMFraction="),
        INITIAL_HEAP("-Xms", "-XX:InitialHeapSize=", "-XX:InitialRAMPercentage=", "-XX:InitialRAMFraction="),
        COLLECTOR("-XX:+Use"),
        CODE_CACHE("-XX:ReservedCodeCacheSize=", "-XX:InitialCodeCacheSize=", "-XX:SegmentedCodeCache"),
        THREAD_STACK("-Xss", "-XX:ThreadStackSize="),
        CLASS_DATA("-XX:AOTCache=", "-XX:AOTMode=", "-XX:SharedArchiveFile=", "-Xshare:", "-XX:AOTCacheOutput=",
            "-XX:AOTConfiguration="),
        ARCHIVE_MAPPING("-XX:ArchiveRelocationMode=");

        private final List<String> prefixes;

        Setting(String... prefixes) {
            this.prefixes = List.of(prefixes);
        }

        boolean setBy(String option) {
            if (this == COLLECTOR) {
                return option.startsWith("-XX:+Use") && option.endsWith("GC");
            }
            return prefixes.stream().anyMatch(option::startsWith);
        }

        static Setting of(String option) {
            return Arrays.stream(values()).filter(s -> s.setBy(option)).findFirst().orElse(null);
        }
    }

    /** Most threads a worker computes on. */
    public static final int MAX_THREADS = 4096;

    /**
     * Copies the lists and checks that nothing required is missing.
     *
     * @throws IllegalArgumentException when {@code threads} is below 1 or above {@link #MAX_THREADS}
     */
    public WorkerOptions {
        classPath = classPath == null ? null : List.copyOf(classPath);
        modulePath = modulePath == null ? null : List.copyOf(modulePath);
        jvmOptions = List.copyOf(Objects.requireNonNull(jvmOptions, "jvmOptions"));
        Objects.requireNonNull(log, "log");
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads per worker must be 1 to " + MAX_THREADS + ": threads=" + threads);
        }
    }

    /**
     * Returns nothing set by the user: every setting derived, the default JVM options, logging to {@code System.err}.
     *
     * @return nothing set by the user: every setting derived, the default JVM options, logging to {@code System.err}
     */
    public static WorkerOptions defaults() {
        return builder().build();
    }

    /**
     * Returns a builder starting from {@link #defaults()}.
     *
     * @return a builder starting from {@link #defaults()}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder starting from these options.
     *
     * @return a builder starting from these options
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Replaces the log sink.
     *
     * @param sink receives each line a worker writes to stderr
     * @return these options with another log sink
     */
    public WorkerOptions withLog(Consumer<String> sink) {
        return toBuilder().log(sink).build();
    }

    /**
     * Replaces the user's JVM options.
     *
     * @param options the user's JVM options, replacing any given before
     * @return these options with other JVM options (defaults still fill in the settings they leave unset)
     */
    public WorkerOptions withJvmOptions(List<String> options) {
        return toBuilder().jvmOptions(options).build();
    }

    /**
     * The JVM options a worker starts with, apart from the launch itself (class or module path, main
     * class, native access, logging to stderr): each default whose setting {@link #jvmOptions()} does
     * not make, then {@link #jvmOptions()}.
     *
     * @return the options, defaults first
     */
    public List<String> effectiveJvmOptions() {
        List<String> effective = new ArrayList<>();
        if (defaultJvmOptions) {
            for (String option : DEFAULT_JVM_OPTIONS) {
                Setting setting = Setting.of(option);
                if (setting == null || jvmOptions.stream().noneMatch(setting::setBy)) {
                    effective.add(option);
                }
            }
        }
        effective.addAll(jvmOptions);
        return effective;
    }

    /**
     * Returns whether the library may add its own class-data option (the ahead-of-time cache beside the jar).
     *
     * @return whether the library may add its own class-data option (the ahead-of-time cache beside the jar)
     */
    boolean mayAddClassData() {
        return jvmOptions.stream().noneMatch(Setting.CLASS_DATA::setBy);
    }

    /**
     * Builds {@link WorkerOptions}; every setting not made is derived (see the record's components).
     *
     * {@snippet :
     * WorkerOptions options = WorkerOptions.builder()
     *     .modulePath(List.of(Path.of("mods")))                // holds org.memshare and the application's module
     *     .jvmOptions("-Xmx2g", "-XX:+UseParallelGC")
     *     .log(line -> logger.info(line))
     *     .build();
     * }
     */
    public static final class Builder {
        private Path javaHome;
        private List<Path> classPath;
        private List<Path> modulePath;
        private List<String> jvmOptions = List.of();
        private boolean defaultJvmOptions = true;
        private Consumer<String> log = line -> System.err.println(line);
        private int threads = 1;

        private Builder() {
        }

        private Builder(WorkerOptions from) {
            javaHome = from.javaHome;
            classPath = from.classPath;
            modulePath = from.modulePath;
            jvmOptions = from.jvmOptions;
            defaultJvmOptions = from.defaultJvmOptions;
            log = from.log;
            threads = from.threads;
        }

        /**
         * Sets the JDK that starts the workers.
         *
         * @param javaHome a JDK or JRE directory holding {@code bin/java}; null: this JVM's
         * @return this builder
         */
        public Builder javaHome(Path javaHome) {
            this.javaHome = javaHome;
            return this;
        }

        /**
         * Sets the workers' class path.
         *
         * @param classPath the workers' class path (jars and class directories), used as given; null: derived
         * @return this builder
         */
        public Builder classPath(List<Path> classPath) {
            this.classPath = classPath;
            return this;
        }

        /**
         * Sets the workers' module path.
         *
         * @param modulePath the workers' module path, holding module {@code org.memshare}; null: derived
         * @return this builder
         */
        public Builder modulePath(List<Path> modulePath) {
            this.modulePath = modulePath;
            return this;
        }

        /**
         * Sets the user's JVM options.
         *
         * @param options the user's JVM options, replacing any given before
         * @return this builder
         */
        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Sets the user's JVM options.
         *
         * @param options the user's JVM options, replacing any given before
         * @return this builder
         */
        public Builder jvmOptions(String... options) {
            return jvmOptions(List.of(options));
        }

        /**
         * Chooses whether the default JVM options fill in.
         *
         * @param add whether {@link #DEFAULT_JVM_OPTIONS} fill in what the user's options leave unset (default true)
         * @return this builder
         */
        public Builder defaultJvmOptions(boolean add) {
            this.defaultJvmOptions = add;
            return this;
        }

        /**
         * Sets where workers' stderr lines go.
         *
         * @param sink receives each line a worker writes to stderr (default: {@code System.err})
         * @return this builder
         */
        public Builder log(Consumer<String> sink) {
            this.log = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /**
         * Sets the threads each worker computes on (see the record's {@code threads}).
         *
         * {@snippet :
         * // One worker JVM computing on four threads: the function must be thread-safe.
         * try (ProcessCluster cluster = Cluster.processes(1, MemShare.system(),
         *         WorkerOptions.builder().threads(4).build())) {
         *     // ...
         * }
         * }
         *
         * @param threads the threads each worker computes on, 1 to {@link #MAX_THREADS} (default 1)
         * @return this builder
         */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * Returns the options.
         *
         * @return the options
         * @throws IllegalArgumentException when the threads per worker are not 1 to {@link #MAX_THREADS}
         */
        public WorkerOptions build() {
            return new WorkerOptions(javaHome, classPath, modulePath, jvmOptions, defaultJvmOptions, log, threads);
        }
    }
}

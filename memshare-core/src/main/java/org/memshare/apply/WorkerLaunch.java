package org.memshare.apply;

import java.io.File;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ResolvedModule;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.memshare.segment.StoreKind;

/**
 * The command line of a worker JVM, derived from where this JVM loaded the library and the
 * application, or taken from {@link WorkerOptions}. Class path mode: {@code java … -cp ENTRIES
 * org.memshare.apply.WorkerMain}; module mode (the library runs as module {@code org.memshare}, or
 * the user gave a module path): {@code java … --module-path ENTRIES --add-modules ALL-MODULE-PATH
 * -m org.memshare/org.memshare.apply.WorkerMain}.
 *
 * <p>Why not just {@code java.class.path}: under {@code mvn exec:java} it names Maven's launcher, the
 * application being in a class loader of the plugin; on the module path it is empty or partial; in
 * a plugin system the application lives in its own loader. The places classes were really loaded
 * from are the class loaders' URLs, the code sources of the classes and the module layers'
 * configurations.
 *
 * @param java the {@code java} binary
 * @param classPath class path entries (module mode: the unnamed module's)
 * @param modulePath module path entries; empty in class path mode
 * @param derivedClassPath whether the class path was derived, so it may be widened for a function
 * @param options the options the launch was made from
 */
record WorkerLaunch(Path java, List<Path> classPath, List<Path> modulePath, boolean derivedClassPath,
                    WorkerOptions options) {
    /** The module the library's classes form on a module path. */
    static final String MODULE = "org.memshare";
    /** Suffix of the ahead-of-time cache beside an application jar: {@code memshare.jar} → {@code memshare-worker.aot}. */
    static final String AOT_CACHE_SUFFIX = "-worker.aot";
    /** The main class of a worker JVM. */
    static final String MAIN_CLASS = WorkerMain.class.getName();

    WorkerLaunch {
        classPath = List.copyOf(classPath);
        modulePath = List.copyOf(modulePath);
    }

    /**
     * The launch for workers of a cluster made now.
     *
     * @param options what the user set
     * @param context the creating thread's context class loader (the application's loader under
     *                {@code mvn exec:java}), or null
     */
    static WorkerLaunch derive(WorkerOptions options, ClassLoader context) {
        Path javaHome = options.javaHome() != null ? options.javaHome() : Path.of(System.getProperty("java.home"));
        Path java = javaHome.resolve("bin").resolve("java");
        List<Path> modulePath = options.modulePath() != null ? options.modulePath()
            : WorkerMain.class.getModule().isNamed() ? layerModules(WorkerMain.class.getModule().getLayer()) : List.of();
        if (options.classPath() != null) {
            return new WorkerLaunch(java, options.classPath(), modulePath, false, options);
        }
        Set<Path> entries = new LinkedHashSet<>();
        if (!WorkerMain.class.getModule().isNamed() && options.modulePath() == null) {
            entries.addAll(loaded(WorkerMain.class));
        }
        if (context != null) {
            entries.addAll(loaderEntries(context));
        }
        entries.removeAll(modulePath);
        return new WorkerLaunch(java, List.copyOf(entries), modulePath, true, options);
    }

    /** @return whether workers start on a module path */
    boolean moduleMode() {
        return !modulePath.isEmpty();
    }

    /**
     * The same launch with the class path entries a function's class needs added, or empty when
     * nothing is missing (or the class path was set by the user, which is never changed).
     */
    Optional<WorkerLaunch> widenedFor(Class<?> functionClass) {
        if (!derivedClassPath || functionClass.getModule().isNamed() && moduleMode()
            && modulePathHolds(functionClass.getModule())) {
            return Optional.empty();
        }
        Set<Path> entries = new LinkedHashSet<>(classPath);
        entries.addAll(loaded(functionClass));
        entries.removeAll(modulePath);
        return entries.size() == classPath.size() ? Optional.empty()
            : Optional.of(new WorkerLaunch(java, List.copyOf(entries), modulePath, true, options));
    }

    private boolean modulePathHolds(Module module) {
        return module.getLayer() != null && layerModules(module.getLayer()).stream().allMatch(modulePath::contains);
    }

    /**
     * The command that starts worker {@code slot} for a registry in {@code directory}: the worker
     * opens it with the same kind of {@code store}, whatever chose it in this process.
     */
    List<String> command(Path directory, StoreKind store, int slot) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("--enable-native-access=" + (moduleMode() ? MODULE + ",ALL-UNNAMED" : "ALL-UNNAMED"));
        // Standard output is the protocol channel: the JVM's own warnings (unified logging writes
        // them to stdout by default) must go to stderr, which reaches the parent's log.
        command.add("-Xlog:disable");
        command.add("-Xlog:all=warning:stderr");
        command.add("-D" + StoreKind.PROPERTY + "=" + store.label());
        List<String> jvmOptions = options.effectiveJvmOptions();
        int userStart = jvmOptions.size() - options.jvmOptions().size();
        command.addAll(jvmOptions.subList(0, userStart));
        if (options.mayAddClassData()) {
            aotCache().ifPresent(cache -> command.add("-XX:AOTCache=" + cache));
        }
        command.addAll(jvmOptions.subList(userStart, jvmOptions.size()));
        if (!classPath.isEmpty()) {
            command.add("-cp");
            command.add(join(classPath));
        }
        if (moduleMode()) {
            command.add("--module-path");
            command.add(join(modulePath));
            command.add("--add-modules");
            command.add("ALL-MODULE-PATH");
            command.add("-m");
            command.add(MODULE + "/" + MAIN_CLASS);
        } else {
            command.add(MAIN_CLASS);
        }
        command.add(directory.toString());
        command.add(Integer.toString(slot));
        command.add(Integer.toString(options.threads()));
        return command;
    }

    /**
     * An ahead-of-time cache (JDK 25: classes loaded and linked, method profiles) made for workers by
     * a training run, when the workers run from a single jar and the cache beside it is not older
     * than the jar. A cache that does not fit is ignored by the JVM (with a warning in the log).
     */
    Optional<Path> aotCache() {
        return moduleMode() ? Optional.empty() : aotCacheFor(classPath);
    }

    static Optional<Path> aotCacheFor(List<Path> classPath) {
        if (classPath.size() != 1 || !classPath.getFirst().toString().endsWith(".jar")) {
            return Optional.empty();
        }
        Path jar = classPath.getFirst().toAbsolutePath();
        String name = jar.getFileName().toString();
        Path cache = jar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + AOT_CACHE_SUFFIX);
        try {
            if (Files.isRegularFile(cache) && Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(jar)) >= 0) {
                return Optional.of(cache);
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * What went wrong at start and what to set, for a worker that exited before it was ready.
     *
     * @param stderr the last lines the worker wrote to stderr
     */
    String startFailure(int slot, long pid, String exitCode, List<String> stderr) {
        String output = String.join("\n", stderr);
        String hint;
        if (output.contains("Could not find or load main class") || output.contains("Module " + MODULE + " not found")
            || output.contains("ClassNotFoundException: " + MAIN_CLASS)) {
            hint = "the workers cannot load " + MAIN_CLASS + ": set WorkerOptions.classPath (or modulePath) to entries"
                + " holding memshare-core and the application";
        } else if (output.contains("Unrecognized option") || output.contains("Unrecognized VM option")
            || output.contains("Invalid") || output.contains("Could not create the Java Virtual Machine")) {
            hint = "the JVM refused an option: check WorkerOptions.jvmOptions (the defaults are "
                + WorkerOptions.DEFAULT_JVM_OPTIONS + "; defaultJvmOptions(false) drops them)";
        } else if (output.contains("UnsupportedClassVersionError")) {
            hint = "the workers' JDK is too old: set WorkerOptions.javaHome to a JDK 25 or newer";
        } else {
            hint = "see the worker's stderr above; WorkerOptions sets javaHome, classPath, modulePath and jvmOptions";
        }
        return "worker exited before it was ready: worker=" + slot + ", pid=" + pid + exitCode + "; " + hint
            + "\n  command: " + String.join(" ", command(Path.of("DIRECTORY"), StoreKind.configured(), slot))
            + (stderr.isEmpty() ? "\n  stderr: (empty)" : "\n  stderr:\n    " + String.join("\n    ", stderr));
    }

    /** The message part of a worker that could not be executed at all. */
    String execFailure(int slot) {
        return "cannot start a worker JVM: worker=" + slot + ", java=" + java + " (set WorkerOptions.javaHome to a JDK 25"
            + " or newer)\n  command: " + String.join(" ", command(Path.of("DIRECTORY"), StoreKind.configured(), slot));
    }

    /** A short description for messages: where workers load classes from. */
    String describe() {
        return (moduleMode() ? "modulePath=" + join(modulePath) + ", " : "") + "classPath=" + join(classPath);
    }

    private static String join(List<Path> entries) {
        return entries.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    /**
     * Where a class was loaded from: the URLs of the URL class loaders in its loader chain (parents
     * first), {@code java.class.path} when the application class loader is in the chain, and the
     * class's own code source (the only place known for other loaders).
     */
    static List<Path> loaded(Class<?> type) {
        Set<Path> entries = new LinkedHashSet<>();
        if (type.getClassLoader() != null) {
            entries.addAll(loaderEntries(type.getClassLoader()));
        }
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null) {
            toPath(source.getLocation()).ifPresent(entries::add);
        }
        return List.copyOf(entries);
    }

    private static List<Path> loaderEntries(ClassLoader loader) {
        Deque<ClassLoader> chain = new ArrayDeque<>();
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            chain.push(l);
        }
        Set<Path> entries = new LinkedHashSet<>();
        for (ClassLoader l : chain) {
            if (l == ClassLoader.getSystemClassLoader()) {
                for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
                    if (!entry.isEmpty()) {
                        entries.add(Path.of(entry).toAbsolutePath().normalize());
                    }
                }
            } else if (l instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    toPath(url).ifPresent(entries::add);
                }
            }
        }
        return List.copyOf(entries);
    }

    /** Locations of the modules of a layer and its parents, apart from the JDK's own. */
    private static List<Path> layerModules(ModuleLayer layer) {
        Set<Path> entries = new LinkedHashSet<>();
        Deque<Configuration> pending = new ArrayDeque<>(List.of(layer.configuration()));
        while (!pending.isEmpty()) {
            Configuration configuration = pending.pop();
            for (ResolvedModule module : configuration.modules()) {
                module.reference().location().filter(uri -> "file".equals(uri.getScheme()))
                    .ifPresent(uri -> entries.add(Path.of(uri).toAbsolutePath().normalize()));
            }
            pending.addAll(configuration.parents());
        }
        return List.copyOf(entries);
    }

    private static Optional<Path> toPath(URL url) {
        try {
            URI uri = url.toURI();
            return "file".equals(uri.getScheme()) ? Optional.of(Path.of(uri).toAbsolutePath().normalize()) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

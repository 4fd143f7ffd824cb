package org.memshare.apply;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How worker JVMs are started and where their log lines go.
 *
 * @param jvmOptions options placed before the main class (heap size, GC); the class path and
 *                   {@code --enable-native-access=ALL-UNNAMED} are always added
 * @param log receives each line a worker writes to stderr, prefixed {@code [worker N]}
 */
public record WorkerOptions(List<String> jvmOptions, Consumer<String> log) {

    /**
     * Serial GC and a 512 MB heap: workers hold views, not data, so a small heap keeps their memory
     * footprint (PSS) low; serial GC starts fastest and needs no GC threads. Start-up needs no other
     * tuning: two workers start and answer a first call in about 0.2 s on a 2-core machine, so
     * {@code -XX:TieredStopAtLevel=1} (faster start, slower compiled code) is not used.
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC");

    /** Copies the options list. */
    public WorkerOptions {
        jvmOptions = List.copyOf(jvmOptions);
        Objects.requireNonNull(log, "log");
    }

    /** @return {@link #DEFAULT_JVM_OPTIONS}, logging to {@code System.err} */
    public static WorkerOptions defaults() {
        return new WorkerOptions(DEFAULT_JVM_OPTIONS, line -> System.err.println(line));
    }

    /** @return these options with another log sink */
    public WorkerOptions withLog(Consumer<String> sink) {
        return new WorkerOptions(jvmOptions, sink);
    }

    /** @return these options with other JVM options */
    public WorkerOptions withJvmOptions(List<String> options) {
        return new WorkerOptions(options, log);
    }
}

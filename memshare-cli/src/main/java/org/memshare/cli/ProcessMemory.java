package org.memshare.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Proportional set size (PSS) of processes, from {@code /proc/PID/smaps_rollup}: shared pages count
 * once in total across the processes that map them, so the sum over a parent and its workers is the
 * memory the job really uses.
 */
public final class ProcessMemory {
    /** The line of the total PSS ({@code Pss:}, not {@code Pss_Anon:} and the like; never the first line). */
    private static final byte[] PSS_KEY = "\nPss:".getBytes(StandardCharsets.US_ASCII);

    private ProcessMemory() {
    }

    /**
     * Reads one process's PSS.
     *
     * @param pid the process id
     * @return the PSS of the process in bytes, or 0 when it is gone or unreadable
     */
    public static long pss(long pid) {
        try {
            return pssBytes(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "smaps_rollup")));
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The PSS in a {@code smaps_rollup} text, in bytes; 0 without a {@code Pss:} line. Sampled every
     * 50–200 ms in the JVM whose memory it measures, so parsed by hand: reading lines and matching
     * regular expressions made garbage and compiled code that counted in the figure.
     */
    static long pssBytes(byte[] rollup) {
        int at = indexOf(rollup, PSS_KEY);
        if (at < 0) {
            return 0;
        }
        long kib = 0;
        boolean digits = false;
        for (int i = at + PSS_KEY.length; i < rollup.length && rollup[i] != '\n'; i++) {
            byte b = rollup[i];
            if (b >= '0' && b <= '9') {
                kib = kib * 10 + (b - '0');
                digits = true;
            } else if (digits) {
                break;
            }
        }
        return kib * 1024;
    }

    private static int indexOf(byte[] text, byte[] key) {
        outer:
        for (int i = 0; i + key.length <= text.length; i++) {
            for (int k = 0; k < key.length; k++) {
                if (text[i + k] != key[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * The processes whose memory a job run from this process uses.
     *
     * @return the ids of this process and all its descendants (the worker JVMs), this process first
     */
    public static List<Long> selfAndDescendants() {
        List<Long> pids = new ArrayList<>();
        pids.add(ProcessHandle.current().pid());
        ProcessHandle.current().descendants().forEach(p -> pids.add(p.pid()));
        return pids;
    }

    /**
     * The memory this process and its workers use together, shared pages counted once.
     *
     * @return the summed PSS of this process and its descendants, in bytes
     */
    public static long totalPss() {
        return totalPss(selfAndDescendants());
    }

    /**
     * The memory the given processes use together, shared pages counted once.
     *
     * @param pids process ids; a process that is gone counts 0
     * @return the summed PSS of the given processes, in bytes
     */
    public static long totalPss(Collection<Long> pids) {
        long total = 0;
        for (long pid : pids) {
            total += pss(pid);
        }
        return total;
    }

    /**
     * The memory the given processes would hold if no other process shared their pages: PSS divides a
     * shared page among every process on the host that maps it, so other JVMs (even the one that
     * measures) lower a group's PSS by taking a share of {@code libjvm.so} and the class data. This
     * counts each process's private pages, and each shared page of a file divided only among the
     * processes of the group that map that file (an estimate: it takes their shared pages of a file
     * to be the same pages). Anonymous memory counts as its PSS. Reads {@code /proc/PID/smaps} once
     * per process; not for sampling.
     *
     * @param pids process ids; a process that is gone counts 0
     * @return the estimate in bytes, at least the group's {@link #totalPss(Collection) total PSS}
     */
    public static long alone(Collection<Long> pids) {
        return Math.round(aloneKib(pids.stream().map(ProcessMemory::mappings).toList()) * 1024);
    }

    /** {@link #alone} over the mappings of each process of the group, in KiB. */
    static double aloneKib(List<List<SmapsEntry>> processes) {
        Map<String, Integer> sharers = new HashMap<>();
        for (List<SmapsEntry> mappings : processes) {
            mappings.stream().filter(m -> m.file() != null && m.sharedKib() > 0).map(SmapsEntry::file).distinct()
                .forEach(file -> sharers.merge(file, 1, Integer::sum));
        }
        double kib = 0;
        for (List<SmapsEntry> mappings : processes) {
            for (SmapsEntry m : mappings) {
                kib += m.file() == null ? m.pssKib() : m.privateKib() + (double) m.sharedKib() / sharers.getOrDefault(m.file(), 1);
            }
        }
        return kib;
    }

    /** One mapping of {@code smaps}: its file (null when anonymous) and its page counts in KiB. */
    record SmapsEntry(String file, long pssKib, long privateKib, long sharedKib) {
    }

    /** The mappings of a process, or none when it is gone or unreadable. */
    static List<SmapsEntry> mappings(long pid) {
        try {
            return parseSmaps(Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps"), StandardCharsets.UTF_8));
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    /** Parses {@code smaps} text: a header line per mapping ({@code start-end perms offset dev inode [path]}), then {@code Key: N kB} lines. */
    static List<SmapsEntry> parseSmaps(List<String> lines) {
        List<SmapsEntry> mappings = new ArrayList<>();
        String file = null;
        long[] counts = null; // Pss, Private_Clean + Private_Dirty, Shared_Clean + Shared_Dirty
        for (String line : lines) {
            int colon = line.indexOf(':');
            boolean header = colon < 0 || line.indexOf(' ') < colon;
            if (header) {
                if (counts != null) {
                    mappings.add(new SmapsEntry(file, counts[0], counts[1], counts[2]));
                }
                String[] fields = line.trim().split("\\s+", 6);
                file = fields.length == 6 && fields[5].startsWith("/") ? fields[5] : null;
                counts = new long[3];
                continue;
            }
            if (counts == null) {
                continue;
            }
            String key = line.substring(0, colon);
            int slot = switch (key) {
                case "Pss" -> 0;
                case "Private_Clean", "Private_Dirty" -> 1;
                case "Shared_Clean", "Shared_Dirty" -> 2;
                default -> -1;
            };
            if (slot >= 0) {
                counts[slot] += Long.parseLong(line.substring(colon + 1).replace("kB", "").trim());
            }
        }
        if (counts != null) {
            mappings.add(new SmapsEntry(file, counts[0], counts[1], counts[2]));
        }
        return mappings;
    }

    /** Samples {@link #totalPss()} in the background and keeps the peak; close to stop. */
    public static final class PeakSampler implements AutoCloseable {
        private final AtomicLong peak = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;

        /**
         * Starts sampling on a daemon thread.
         *
         * @param intervalMillis the pause between two samples, in milliseconds
         */
        public PeakSampler(long intervalMillis) {
            thread = Thread.ofPlatform().daemon().name("memshare-pss-sampler").start(() -> {
                while (running) {
                    peak.accumulateAndGet(totalPss(), Math::max);
                    try {
                        Thread.sleep(intervalMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        /**
         * The peak so far, including a sample taken now.
         *
         * @return the largest total PSS seen so far, in bytes
         */
        public long peak() {
            return Math.max(peak.get(), totalPss());
        }

        /** Stops the sampling thread; {@link #peak()} still works and samples once more. */
        @Override
        public void close() {
            running = false;
            thread.interrupt();
        }
    }
}

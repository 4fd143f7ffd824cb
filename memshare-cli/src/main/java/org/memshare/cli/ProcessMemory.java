package org.memshare.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Proportional set size (PSS) of processes, from {@code /proc/PID/smaps_rollup}: shared pages count
 * once in total across the processes that map them, so the sum over a parent and its workers is the
 * memory the job really uses.
 */
public final class ProcessMemory {
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
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
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

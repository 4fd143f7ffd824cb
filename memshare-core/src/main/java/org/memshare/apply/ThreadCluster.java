package org.memshare.apply;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.memshare.registry.MemShare;

/**
 * A cluster of platform threads in this JVM. The views of a call are mapped once and shared by the
 * threads; items are handed out in chunks from a shared counter, so fast threads take more chunks.
 * The function is still checked for serializability, so code that runs here also runs on a
 * {@link ProcessCluster}.
 *
 * <p>Threads cannot be killed. A call that times out or whose caller is interrupted returns at once
 * with an {@link ApplyException}; its threads are interrupted and abandoned (they stop at their next
 * chunk, or never if the function never returns) and later calls run on new threads.
 */
public final class ThreadCluster implements Cluster {
    private static final AtomicInteger POOLS = new AtomicInteger();
    /** Longest wait for an event before checking the deadline and whether the cluster was closed. */
    private static final long POLL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int size;
    private final MemShare registry;
    /** Replaced when a call abandons threads that may never return; touched under the lock or by close. */
    private volatile ExecutorService pool;
    private final CallLock callLock = new CallLock();
    private volatile boolean closed;

    ThreadCluster(int size, MemShare registry) {
        this.size = size;
        this.registry = registry;
        this.pool = newPool(size);
    }

    /** Daemon threads: an abandoned thread stuck in a function must not keep the JVM alive. */
    private static ExecutorService newPool(int size) {
        int id = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        return Executors.newFixedThreadPool(size, r -> Thread.ofPlatform().daemon()
            .name("memshare-apply-" + id + "-" + threads.getAndIncrement()).unstarted(r));
    }

    /** Interrupts and abandons the threads of a call that cannot wait for them; later calls get new ones. */
    private void abandonThreads() {
        ExecutorService old = pool;
        if (!closed) {
            pool = newPool(size);
        }
        old.shutdownNow();
    }

    /** What a thread reports to the calling thread. */
    private sealed interface ChunkEvent {
    }

    private record Done(long from, long count) implements ChunkEvent {
    }

    private record Failed(long index, Throwable error) implements ChunkEvent {
    }

    private record Finished() implements ChunkEvent {
    }

    List<Object> run(Call call) {
        callLock.acquire("a call", this);
        try {
            checkOpen();
            return execute(call);
        } finally {
            callLock.release();
        }
    }

    private List<Object> execute(Call call) {
        int workers = (int) Math.max(1, Math.min(Math.min(size, call.maxCores()), call.total()));
        long chunk = call.chunkSize(workers);
        Object[] results = new Object[Math.toIntExact(call.total())];
        call.progress().progress(0, call.total());
        if (call.total() == 0) {
            return List.of();
        }
        // Closing the kernel while an abandoned thread still reads its views is safe: the views' arenas
        // are shared, so such a thread gets an IllegalStateException, not a crash.
        try (Kernel kernel = Kernel.open(registry, call.spec(), call.function())) {
            AtomicLong next = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            LinkedBlockingQueue<ChunkEvent> events = new LinkedBlockingQueue<>();
            ExecutorService threads = pool;
            for (int w = 0; w < workers; w++) {
                threads.execute(() -> {
                    try {
                        while (!stop.get()) {
                            long from = next.getAndAdd(chunk);
                            if (from >= call.total()) {
                                break;
                            }
                            long to = Math.min(call.total(), from + chunk);
                            for (long i = from; i < to; i++) {
                                try {
                                    results[(int) i] = kernel.compute(i);
                                } catch (Throwable t) {
                                    stop.set(true);
                                    events.add(new Failed(i, t));
                                    return;
                                }
                            }
                            events.add(new Done(from, to - from));
                        }
                    } finally {
                        events.add(new Finished());
                    }
                });
            }
            long done = 0;
            Failed failure = null;
            int finished = 0;
            long deadline = call.deadlineFromNow();
            while (finished < workers) {
                long left = deadline - System.nanoTime();
                String abandoned = left <= 0 ? call.timedOut(done, "cluster=threads")
                    : closed ? "cluster closed during the call: done=" + done + ", total=" + call.total() + ", cluster=" + this
                    : null;
                ChunkEvent event = null;
                InterruptedException interrupt = null;
                if (abandoned == null) {
                    try {
                        event = events.poll(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        interrupt = e;
                        abandoned = call.interrupted(done, "cluster=threads");
                    }
                }
                if (abandoned != null) {
                    // A function may never return, and a thread cannot be killed: leave the threads behind.
                    stop.set(true);
                    abandonThreads();
                    if (interrupt != null) {
                        Thread.currentThread().interrupt();
                    }
                    throw new ApplyException(abandoned, -1, interrupt);
                }
                if (event == null) {
                    continue;
                }
                switch (event) {
                    case Done d -> {
                        done += d.count();
                        if (failure == null) {
                            call.progress().progress(done, call.total());
                        }
                    }
                    case Failed f -> {
                        if (failure == null || f.index() < failure.index()) {
                            failure = f;
                        }
                    }
                    case Finished f -> finished++;
                }
            }
            if (failure != null) {
                throw new ApplyException(call.failedAt(failure.index(), "cluster=threads"), failure.index(), failure.error());
            }
        }
        return Arrays.asList(results);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public MemShare registry() {
        return registry;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void releaseNamespace(String namespace) {
        callLock.acquire("gc of namespace " + namespace, this);
        try {
            checkOpen();
            registry.releaseNamespace(namespace);
        } finally {
            callLock.release();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("cluster is closed: cluster=" + this);
        }
    }

    /** Interrupts the threads and returns without waiting for them (a stuck function would never let it). */
    @Override
    public void close() {
        closed = true;
        pool.shutdownNow();
    }

    @Override
    public String toString() {
        return "ThreadCluster[size=" + size + (closed ? ", closed" : "") + "]";
    }
}

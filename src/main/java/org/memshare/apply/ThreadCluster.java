package org.memshare.apply;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.memshare.registry.MemShare;

/**
 * A cluster of platform threads in this JVM. The views of a call are mapped once and shared by the
 * threads; items are handed out in chunks from a shared counter, so fast threads take more chunks.
 * The function is still checked for serializability, so code that runs here also runs on a
 * {@link ProcessCluster}.
 */
public final class ThreadCluster implements Cluster {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int size;
    private final MemShare registry;
    private final ExecutorService pool;
    private final ReentrantLock callLock = new ReentrantLock();
    private volatile boolean closed;

    ThreadCluster(int size, MemShare registry) {
        this.size = size;
        this.registry = registry;
        int id = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(size, r -> Thread.ofPlatform().daemon()
            .name("memshare-apply-" + id + "-" + threads.getAndIncrement()).unstarted(r));
    }

    /** What a thread reports to the calling thread. */
    private sealed interface Event {
    }

    private record Done(long from, long count) implements Event {
    }

    private record Failed(long index, Throwable error) implements Event {
    }

    private record Finished() implements Event {
    }

    List<Object> run(Call call) {
        callLock.lock();
        try {
            checkOpen();
            return execute(call);
        } finally {
            callLock.unlock();
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
        try (Kernel kernel = Kernel.open(registry, call.spec(), call.function())) {
            AtomicLong next = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
            for (int w = 0; w < workers; w++) {
                pool.execute(() -> {
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
            boolean interrupted = false;
            while (finished < workers) {
                Event event;
                try {
                    event = events.take();
                } catch (InterruptedException e) {
                    // Stop handing out chunks, but wait for the threads: the views must outlive them.
                    interrupted = true;
                    stop.set(true);
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
            if (interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("apply interrupted: done=" + done + ", total=" + call.total());
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
        callLock.lock();
        try {
            checkOpen();
            registry.releaseNamespace(namespace);
        } finally {
            callLock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("cluster is closed: cluster=" + this);
        }
    }

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

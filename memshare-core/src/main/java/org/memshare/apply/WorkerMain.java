package org.memshare.apply;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.memshare.registry.MemShare;

/**
 * A worker JVM of a {@link ProcessCluster}: {@code java -cp … org.memshare.apply.WorkerMain DIRECTORY SLOT THREADS}, or
 * {@code java --module-path … -m org.memshare/org.memshare.apply.WorkerMain DIRECTORY SLOT THREADS}. Not API: the
 * class and its {@code main} are package-private (the launcher runs them all the same), so the exported
 * package holds no entry point of the library's internals.
 * It speaks {@link Protocol} on stdin/stdout and logs to stderr, which the parent forwards.
 *
 * <p>The main thread reads frames and answers them in order. With one thread
 * ({@link WorkerOptions#threads()}) it computes each chunk itself; with more, it hands chunks to that
 * many compute threads, which answer each chunk as it is done, and waits for the job's chunks before
 * it answers any other frame, so {@link Protocol.JobClosed} still follows every answer of its job. At
 * the end of stdin (the parent closed the channel or died, even by SIGKILL) the JVM exits; a watchdog
 * thread covers a parent that dies while a long chunk is being computed.
 */
final class WorkerMain {
    private static final long PARENT_CHECK_MILLIS = 200;
    /**
     * How often an idle worker unmaps the mappings it keeps of variables released since: the longest
     * it holds a released variable's memory between calls (docs/APPLY.md states this bound).
     */
    static final long STALE_CHECK_MILLIS = 250;
    /** Functions deserialized at start: the first loads and links, the rest are cheap. */
    private static final int WARM_FUNCTIONS = 3;

    private final MemShare registry;
    private final DataOutputStream out;
    /** The compute threads, or null when the main thread computes (one thread). */
    private final ExecutorService computeThreads;
    /** The chunks handed to {@link #computeThreads} and not yet answered, of the current job. */
    private final List<Future<?>> computing = new ArrayList<>();
    private Kernel kernel;
    private long job = -1;
    private Throwable setupError;
    /** The last function deserialized, kept when its state cannot change; the same bytes reuse it. */
    private Object reusable;
    private byte[] reusableBytes;

    private WorkerMain(MemShare registry, DataOutputStream out, int threads) {
        this.registry = registry;
        this.out = out;
        this.computeThreads = threads == 1 ? null : Executors.newFixedThreadPool(threads,
            Thread.ofPlatform().daemon().name("memshare-worker-compute-", 0).factory());
    }

    /**
     * @param args the segment directory of the parent's registry, this worker's slot number, and the
     *             threads it computes on
     */
    static void main(String[] args) throws Exception {
        int threads = args.length == 3 && args[2].matches("[0-9]{1,9}") ? Integer.parseInt(args[2]) : 0;
        if (threads < 1 || threads > WorkerOptions.MAX_THREADS) {
            System.err.println("usage: WorkerMain SEGMENT_DIRECTORY SLOT THREADS (1 to " + WorkerOptions.MAX_THREADS + ")");
            System.exit(2);
        }
        // stdout is the channel: keep the raw descriptor for frames and send anything printed to stderr,
        // so a function calling System.out.println cannot corrupt the protocol.
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        System.setOut(System.err);
        // Whatever the JVM printed to stdout before main ran is before this mark: the parent logs it.
        Protocol.writeChannelStart(out);
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
        watchParent();
        // Before READY: class loading and the first JIT tier must not fall on the first calls.
        Protocol.warmUp(WARM_FUNCTIONS);
        MemShare registry = MemShare.forDirectory(Path.of(args[0]));
        // Calls of a cluster view the same variables again and again: keep their mappings between calls
        // (reused only while the name denotes the same file), and drop those of released ones promptly.
        registry.keepMappings(true);
        watchStaleMappings(registry);
        WorkerMain worker = new WorkerMain(registry, out, threads);
        Protocol.write(out, new Protocol.Ready(ProcessHandle.current().pid()));
        try {
            worker.serve(in);
        } catch (IOException | RuntimeException e) {
            System.err.println("channel broken, exiting: " + e);
        }
        // The parent closed the channel or is gone: nobody wants our results, and staying would leak a JVM.
        // exit, not halt: the shutdown hook releases pages a function registered in this worker.
        System.exit(0);
    }

    /**
     * The main thread notices the end of stdin only between chunks; a long chunk must not keep an
     * orphan alive, so this thread also ends the JVM when the parent process is gone (the worker is
     * re-parented then). Checked every {@value #PARENT_CHECK_MILLIS} ms.
     */
    private static void watchParent() {
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        Thread.ofPlatform().daemon().name("memshare-worker-parent-watch").start(() -> {
            while (true) {
                long now = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
                if (now != parent) {
                    System.exit(0);
                }
                try {
                    Thread.sleep(PARENT_CHECK_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /**
     * Between calls nothing else would notice that an owner released a variable this worker still
     * maps, idle; this thread unmaps such mappings every {@value #STALE_CHECK_MILLIS} ms, so an idle
     * worker does not keep the memory of a released variable allocated.
     */
    private static void watchStaleMappings(MemShare registry) {
        Thread.ofPlatform().daemon().name("memshare-worker-stale-mappings").start(() -> {
            while (true) {
                try {
                    Thread.sleep(STALE_CHECK_MILLIS);
                    registry.dropStaleMappings();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    System.err.println("checking kept mappings failed, retrying: " + e);
                }
            }
        });
    }

    /** Answers frames in order until the end of stdin. */
    private void serve(DataInputStream in) throws IOException {
        for (Protocol.Message message = Protocol.read(in); message != null; message = Protocol.read(in)) {
            if (!(message instanceof Protocol.Chunk)) {
                awaitChunks();
            }
            switch (message) {
                case Protocol.JobStart start -> startJob(start);
                case Protocol.Chunk chunk -> {
                    if (computeThreads == null) {
                        compute(chunk);
                    } else {
                        computing.add(computeThreads.submit(() -> computeOnThread(chunk)));
                    }
                }
                case Protocol.JobEnd end -> {
                    endJob();
                    Protocol.write(out, new Protocol.JobClosed(end.job()));
                }
                case Protocol.Gc gc -> {
                    if (kernel != null && kernel.spec().namespace().equals(gc.namespace())) {
                        endJob();
                    }
                    registry.releaseNamespace(gc.namespace());
                    registry.dropStaleMappings();
                    Protocol.write(out, new Protocol.GcDone(gc.namespace()));
                }
                case Protocol.Shutdown shutdown -> {
                    endJob();
                    out.flush();
                    System.exit(0);
                }
                case Protocol.Message other -> throw new IllegalStateException("unexpected message from the parent: " + other);
            }
        }
    }

    private void startJob(Protocol.JobStart start) {
        endJob();
        // The call's own variables are checked as they are retrieved; this unmaps the others released since.
        registry.dropStaleMappings();
        job = start.job();
        try {
            Object function;
            if (reusable != null && Arrays.equals(start.function(), reusableBytes)) {
                function = reusable;
            } else {
                function = Protocol.deserialize(start.function());
                boolean immutable = ImmutableFunctions.immutable(function);
                reusable = immutable ? function : null;
                reusableBytes = immutable ? start.function() : null;
            }
            kernel = Kernel.open(registry, start.spec(), function);
        } catch (Throwable t) {
            setupError = t;
        }
    }

    private void endJob() {
        if (kernel != null) {
            kernel.close();
        }
        kernel = null;
        setupError = null;
        job = -1;
    }

    /**
     * Waits until every chunk handed to the compute threads is answered. A chunk that could not send
     * its answer (the channel broke) makes this worker exit, as the main thread would.
     */
    private void awaitChunks() {
        for (Future<?> chunk : computing) {
            boolean interrupted = false;
            while (true) {
                try {
                    chunk.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new UncheckedIOException("a compute thread could not answer", e.getCause() instanceof IOException io
                        ? io : new IOException(e.getCause()));
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        computing.clear();
    }

    /** {@link #compute} on a compute thread: the kernel and job are fixed until {@link #awaitChunks} returns. */
    private Void computeOnThread(Protocol.Chunk chunk) throws IOException {
        compute(chunk);
        return null;
    }

    private void compute(Protocol.Chunk chunk) throws IOException {
        if (chunk.job() != job || kernel == null) {
            Throwable why = setupError != null ? setupError
                : new IllegalStateException("chunk for a job this worker has not started: job=" + chunk.job());
            Protocol.write(out, new Protocol.Failure(chunk.job(), chunk.from(), chunk.to(), -1, RemoteFailure.of(why)));
            return;
        }
        List<Object> results = new ArrayList<>((int) (chunk.to() - chunk.from()));
        for (long i = chunk.from(); i < chunk.to(); i++) {
            try {
                results.add(kernel.compute(i));
            } catch (Throwable t) {
                Protocol.write(out, new Protocol.Failure(chunk.job(), chunk.from(), chunk.to(), i, RemoteFailure.of(t)));
                return;
            }
        }
        try {
            Protocol.write(out, new Protocol.ChunkResult(chunk.job(), chunk.from(), results));
        } catch (NotSerializableException e) {
            // Nothing was written yet (frames are serialized before the first byte goes out).
            long bad = firstNotSerializable(chunk.from(), results);
            Protocol.write(out, new Protocol.Failure(chunk.job(), chunk.from(), chunk.to(), bad, RemoteFailure.of(
                new NotSerializableException("result is not serializable: index=" + bad + ", class=" + e.getMessage()))));
        }
    }

    private static long firstNotSerializable(long from, List<Object> results) {
        for (int k = 0; k < results.size(); k++) {
            try {
                Protocol.serialize(results.get(k));
            } catch (IOException e) {
                return from + k;
            }
        }
        return from;
    }
}

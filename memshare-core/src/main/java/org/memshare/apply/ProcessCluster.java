package org.memshare.apply;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.memshare.registry.MemShare;

/**
 * A cluster of worker JVMs. Workers receive
 * only names and the serialized function over a private pipe ({@link Protocol}), map the variables
 * from the registry's directory once per call, and return results. Their stderr is forwarded to
 * {@link WorkerOptions#log()} with a {@code [worker N]} prefix.
 *
 * <p>Threads. Each worker computes on {@link WorkerOptions#threads()} threads (default 1): with more,
 * it runs that many chunks of a call at once, for functions that are safe to call concurrently (the
 * built-in ranking is). One JVM with a thread per core takes far less memory than a JVM per core,
 * and compiles the function once.
 *
 * <p>Failure semantics. A worker that dies during a call (crash, {@code kill -9}) is noticed at once
 * by the end of its stdout pipe; the call fails at once with a {@link WorkerDiedException} naming the
 * worker, its pid and exit code and the chunk it held (chunks are not retried: the function itself may
 * be what kills workers). The workers still computing chunks of that call are killed too, so the call
 * need not wait for them; all are replaced by new JVMs, so the cluster stays usable. A call that times
 * out or whose caller is interrupted ends the same way, with an {@link ApplyException}. A worker whose
 * parent dies, even by SIGKILL, sees the end of its stdin and exits.
 *
 * <p>How workers start. Unless {@link WorkerOptions} says otherwise, with this JVM's {@code java}
 * binary, and with the places the classes were really loaded from, so a cluster works wherever its
 * parent runs: a plain class path, {@code mvn exec:java} (the application in a class loader of the
 * plugin, {@code java.class.path} naming Maven's launcher), a single shaded jar, or the module path.
 * The class path is made of the URLs of the class loaders that loaded the library and the creating
 * thread's context class loader, {@code java.class.path} when the application class loader is among
 * them, and the classes' code sources; a call whose function comes from elsewhere (a class loader
 * made later) restarts the workers with its places added. When the library runs as module
 * {@code org.memshare}, workers get the module path of its module layer and start with
 * {@code --add-modules ALL-MODULE-PATH -m org.memshare/org.memshare.apply.WorkerMain}. A worker that
 * cannot start fails the first call with an {@link IllegalStateException} that quotes its stderr and
 * command line and names the option to set.
 */
public final class ProcessCluster implements Cluster {
    /** How long the first call waits for a worker JVM to start. */
    private static final long START_TIMEOUT_SECONDS = 60;
    /** How long a worker asked to stop may take to exit before it is killed. */
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Longest wait for a killed worker to end, and then for the end of its stderr. */
    private static final long KILL_WAIT_SECONDS = 2;
    /** Longest wait for an event before checking that workers are alive and the deadline. */
    private static final long POLL_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Whether this JVM has run {@link Protocol#warmUp} (once, for its first process cluster). */
    private static final AtomicBoolean PARENT_WARMED = new AtomicBoolean();
    /** Lines of a worker's stderr quoted when it cannot start. */
    private static final int STDERR_TAIL_LINES = 20;

    private final int size;
    private final MemShare registry;
    private final WorkerOptions options;
    /** How workers start; widened (under the call lock) when a function needs more class path. */
    private volatile WorkerLaunch launch;
    private final Worker[] workers;
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CallLock callLock = new CallLock();
    private volatile boolean closed;
    private long jobs;
    /** Set by a call that caught an interrupt; the flag is restored once the killed workers are replaced. */
    private boolean interruptPending;

    /** Something a worker's reader thread saw: a message, or (message null) the end of the channel. */
    private record Event(Worker worker, Protocol.Message message) {
    }

    /** One worker JVM and its channel. */
    private final class Worker {
        final int slot;
        final Process process;
        final DataOutputStream channel;
        final CompletableFuture<Long> ready = new CompletableFuture<>();
        /** Completed when the worker's stderr ends, so a start failure can quote all of it. */
        final CompletableFuture<Void> logEnded = new CompletableFuture<>();
        /** The last lines of stderr, for the message of a worker that could not start. */
        final ArrayDeque<String> stderrTail = new ArrayDeque<>();
        final WorkerLaunch startedWith;
        /** Chunks sent and not yet answered, oldest first; touched by the calling thread only. */
        final ArrayDeque<Protocol.Chunk> inFlight = new ArrayDeque<>();
        /** How many chunks may be sent before an answer: {@link Protocol#CHUNKS_IN_FLIGHT} per compute thread. */
        final int inFlightLimit = Protocol.CHUNKS_IN_FLIGHT * options.threads();
        volatile boolean gone;

        Worker(int slot, Process process, WorkerLaunch startedWith) {
            this.slot = slot;
            this.process = process;
            this.startedWith = startedWith;
            this.channel = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
            Thread.ofPlatform().daemon().name("memshare-worker-" + slot + "-channel").start(this::readChannel);
            Thread.ofPlatform().daemon().name("memshare-worker-" + slot + "-log").start(this::forwardLog);
        }

        private void readChannel() {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16))) {
                Protocol.skipToChannelStart(in, this::stdoutBeforeStart);
                for (Protocol.Message m = Protocol.read(in); m != null; m = Protocol.read(in)) {
                    if (m instanceof Protocol.Ready r) {
                        ready.complete(r.pid());
                    } else {
                        events.add(new Event(this, m));
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    options.log().accept("[worker " + slot + "] channel broken: " + e);
                }
            }
            gone = true;
            // Post the death first: building the start-up message below may wait for the exit code.
            events.add(new Event(this, null));
            if (!ready.isDone()) {
                try {
                    logEnded.get(2, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    // Quote what arrived.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                List<String> stderr;
                synchronized (stderrTail) {
                    stderr = List.copyOf(stderrTail);
                }
                ready.completeExceptionally(new IllegalStateException(
                    startedWith.startFailure(slot, process.pid(), exitCode(this), stderr)));
            }
        }

        /** A line the JVM printed to stdout before the worker's channel started: logged, and quoted if it cannot start. */
        private void stdoutBeforeStart(String line) {
            keepForStartFailure(line);
            options.log().accept("[worker " + slot + "] (stdout) " + line);
        }

        /** Keeps the line among the last few the worker printed, which a failure to start quotes. */
        private void keepForStartFailure(String line) {
            synchronized (stderrTail) {
                if (stderrTail.size() == STDERR_TAIL_LINES) {
                    stderrTail.removeFirst();
                }
                stderrTail.addLast(line);
            }
        }

        private void forwardLog() {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line = err.readLine(); line != null; line = err.readLine()) {
                    if (!ready.isDone()) {
                        keepForStartFailure(line);
                    }
                    options.log().accept("[worker " + slot + "] " + line);
                }
            } catch (IOException e) {
                // The worker is gone; the channel reader reports that.
            } finally {
                logEnded.complete(null);
            }
        }

        void send(Protocol.Message message) throws IOException {
            Protocol.write(channel, message);
        }

        void sendLater(Protocol.Message message) throws IOException {
            Protocol.write(channel, message, false);
        }

        void flush() throws IOException {
            channel.flush();
        }

        boolean isAlive() {
            return !gone && process.isAlive();
        }

        /**
         * Drops the chunk an answer is for: a worker computing on several threads answers its chunks
         * in the order they finish, not in the order they were sent.
         */
        void answered(long from) {
            inFlight.removeIf(chunk -> chunk.from() == from);
        }

        /** Stops the JVM, politely first, and waits until it has ended and its output is forwarded. */
        void stop() {
            requestStop();
            awaitStop(System.nanoTime() + STOP_GRACE_NANOS);
        }

        /** Asks the JVM to exit: a shutdown message, then the end of its stdin, which is itself the signal. */
        void requestStop() {
            try {
                send(new Protocol.Shutdown());
            } catch (IOException | RuntimeException ignored) {
                // Already gone.
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing stdin is itself the signal to exit.
            }
        }

        /**
         * Waits for the JVM to exit until {@code deadline} (a {@link System#nanoTime()} value), kills it
         * then, and waits for the forwarder to reach the end of its stderr: what a worker printed before
         * it ended is in the log when the cluster's close returns. That wait is bounded too, since a
         * process the function started may hold the pipe open.
         */
        void awaitStop(long deadline) {
            try {
                if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
                }
                logEnded.get(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // Output still held open by another process: what was forwarded is all the log gets.
            }
        }
    }

    ProcessCluster(int size, MemShare registry, WorkerOptions options) {
        this.size = size;
        this.registry = registry;
        this.options = options;
        this.launch = WorkerLaunch.derive(options, Thread.currentThread().getContextClassLoader());
        if (PARENT_WARMED.compareAndSet(false, true)) {
            // The parent's side of the protocol, while the workers start: off the first calls' path.
            Thread.ofPlatform().daemon().name("memshare-protocol-warm-up").start(() -> Protocol.warmUp(1));
        }
        this.workers = new Worker[size];
        try {
            for (int slot = 0; slot < size; slot++) {
                workers[slot] = start(slot);
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private Worker start(int slot) {
        List<String> command = launch.command(registry.directory(), registry.storeKind(), slot);
        try {
            return new Worker(slot, new ProcessBuilder(command).start(), launch);
        } catch (IOException e) {
            throw new UncheckedIOException(launch.execFailure(slot), e);
        }
    }

    /**
     * Restarts every worker with a wider class path when the call's function was loaded from a place
     * the workers do not have (a class loader made after the cluster, a plugin's loader). A class
     * path the user set is never changed.
     */
    private void widenFor(Call call) {
        launch.widenedFor(call.function().getClass()).ifPresent(wider -> {
            options.log().accept("[memshare] restarting the workers with the function's class path: function="
                + call.function().getClass().getName() + ", " + wider.describe());
            launch = wider;
            for (int slot = 0; slot < size; slot++) {
                workers[slot].stop();
                workers[slot] = start(slot);
            }
        });
    }

    private long awaitReady(Worker worker) {
        try {
            return worker.ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("worker did not start in time: worker=" + worker.slot + ", timeoutSeconds="
                + START_TIMEOUT_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a worker to start: worker=" + worker.slot, e);
        }
    }

    /** Replaces workers that are gone; the new JVMs start in the background. Call under the lock. */
    private void replaceGone() {
        for (int slot = 0; slot < size; slot++) {
            if (!closed && !workers[slot].isAlive()) {
                workers[slot].stop();
                workers[slot] = start(slot);
            }
        }
    }

    /**
     * Waits until every worker JVM has started and answers.
     *
     * @return this cluster
     * @throws IllegalStateException when a worker could not start
     */
    public ProcessCluster awaitReady() {
        callLock.acquire("waiting for workers to start", this);
        try {
            checkOpen();
            replaceGone();
            for (Worker worker : workers) {
                awaitReady(worker);
            }
            return this;
        } finally {
            callLock.release();
        }
    }

    /**
     * Returns the process ids of the current workers (they change when a dead worker is replaced).
     *
     * @return the process ids of the current workers (they change when a dead worker is replaced)
     */
    public List<Long> workerPids() {
        List<Long> pids = new ArrayList<>(size);
        for (Worker worker : workers.clone()) {
            pids.add(worker.process.pid());
        }
        return pids;
    }

    /** Takes the cluster lock; an interrupted wait ends the wait (the flag stays set) with an exception. */
    List<Object> run(Call call) {
        callLock.acquire("a call", this);
        try {
            checkOpen();
            widenFor(call);
            replaceGone();
            int count = (int) Math.max(1, Math.min(Math.min(size, call.maxCores()), call.total()));
            List<Worker> used = new ArrayList<>(Arrays.asList(workers).subList(0, count));
            for (Worker worker : used) {
                awaitReady(worker);
            }
            call.progress().progress(0, call.total());
            if (call.total() == 0) {
                return List.of();
            }
            try {
                return execute(call, used);
            } finally {
                replaceGone();
                if (interruptPending) {
                    interruptPending = false;
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            callLock.release();
        }
    }

    private List<Object> execute(Call call, List<Worker> used) {
        long job = ++jobs;
        long chunk = call.chunkSize(used.size() * options.threads());
        Object[] results = new Object[Math.toIntExact(call.total())];
        Set<Worker> active = new LinkedHashSet<>();
        ApplyException failure = null;
        long next = 0;
        long done = 0;
        Protocol.JobStart start = new Protocol.JobStart(job, call.spec(), call.functionBytes());
        for (Worker worker : used) {
            try {
                worker.inFlight.clear();
                worker.sendLater(start);
                active.add(worker);
            } catch (IOException e) {
                failure = first(failure, died(call, worker, null));
            }
        }
        // JobEnd follows a worker's last chunk at once, so its JobClosed needs no round trip of its own.
        Set<Worker> ended = new HashSet<>();
        Set<Worker> closedJob = new HashSet<>();
        for (Worker worker : active) {
            while (failure == null && next < call.total() && worker.inFlight.size() < worker.inFlightLimit) {
                next = dispatch(worker, job, next, chunk, call.total(), false);
            }
            if (failure == null && next >= call.total()) {
                endLater(worker, job, ended);
            }
            flush(worker);
        }
        long deadline = call.deadlineFromNow();
        while (active.stream().anyMatch(w -> !w.inFlight.isEmpty())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                failure = first(failure, new ApplyException(call.timedOut(done, "cluster=processes"), -1, null));
                abort(active);
                break;
            }
            Event event;
            try {
                event = events.poll(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                // A function may never return: waiting for it would make the interrupt useless.
                interruptPending = true;
                failure = first(failure, new ApplyException(call.interrupted(done, "cluster=processes"), -1, e));
                abort(active);
                break;
            }
            if (event == null) {
                // Belt and braces: the channel's end reports death at once, this catches a hung pipe.
                for (Worker worker : List.copyOf(active)) {
                    if (!worker.process.isAlive()) {
                        failure = first(failure, died(call, worker, worker.inFlight.peek()));
                        worker.inFlight.clear();
                        active.remove(worker);
                        abort(active);
                    }
                }
                continue;
            }
            Worker worker = event.worker();
            if (!active.contains(worker)) {
                continue;
            }
            switch (event.message()) {
                case null -> {
                    failure = first(failure, died(call, worker, worker.inFlight.peek()));
                    worker.inFlight.clear();
                    active.remove(worker);
                    // The call has failed: waiting for the others' chunks would only delay saying so.
                    abort(active);
                }
                case Protocol.ChunkResult r when r.job() == job -> {
                    worker.answered(r.from());
                    for (int k = 0; k < r.results().size(); k++) {
                        results[Math.toIntExact(r.from() + k)] = r.results().get(k);
                    }
                    done += r.results().size();
                    if (failure == null) {
                        call.progress().progress(done, call.total());
                        if (next < call.total()) {
                            next = dispatch(worker, job, next, chunk, call.total(), true);
                        } else if (endLater(worker, job, ended)) {
                            flush(worker);
                        }
                    }
                }
                case Protocol.Failure f when f.job() == job -> {
                    worker.answered(f.from());
                    String where = "cluster=processes, worker=" + worker.slot + ", pid=" + worker.process.pid();
                    ApplyException e = f.index() < 0
                        ? new ApplyException("job could not start in a worker: variable=" + call.spec().namespace() + "."
                            + call.spec().variable() + ", " + where + ", cause=" + rootCause(f.error())
                            + " (workers load classes from " + worker.startedWith.describe() + "; WorkerOptions.classPath"
                            + " or modulePath sets them)", -1, f.error())
                        : new ApplyException(call.failedAt(f.index(), where), f.index(), f.error());
                    failure = first(failure, e);
                }
                case Protocol.JobClosed c when c.job() == job -> closedJob.add(worker);
                default -> {
                    // A stale answer (an older job or a gc); frames are ordered, so it carries nothing for us.
                }
            }
        }
        endJob(job, active, ended, closedJob);
        if (failure != null) {
            throw failure;
        }
        return Arrays.asList(results);
    }

    /** Sends one chunk starting at {@code next}; a broken pipe is noticed by the reader as the worker's end. */
    private long dispatch(Worker worker, long job, long next, long chunk, long total, boolean flush) {
        Protocol.Chunk c = new Protocol.Chunk(job, next, Math.min(total, next + chunk));
        worker.inFlight.add(c);
        try {
            if (flush) {
                worker.send(c);
            } else {
                worker.sendLater(c);
            }
        } catch (IOException e) {
            // The reader thread sees the end of the channel too and posts the death event.
        }
        return c.to();
    }

    /**
     * Kills the workers still computing chunks of this call (SIGKILL: a function need not return) and
     * drops them from {@code active}. The call can then end at once, and none of their answers can
     * reach a later call: {@link #run} replaces them with new JVMs before the lock is released.
     */
    private static void abort(Set<Worker> active) {
        for (Iterator<Worker> it = active.iterator(); it.hasNext(); ) {
            Worker worker = it.next();
            if (!worker.inFlight.isEmpty()) {
                worker.gone = true;
                worker.process.destroyForcibly();
                worker.inFlight.clear();
                it.remove();
            }
        }
    }

    /**
     * Queues the end of the job behind a worker's last chunk, once.
     *
     * @return whether it was queued now (the caller flushes)
     */
    private static boolean endLater(Worker worker, long job, Set<Worker> ended) {
        if (!ended.add(worker)) {
            return false;
        }
        try {
            worker.sendLater(new Protocol.JobEnd(job));
        } catch (IOException e) {
            // The reader thread sees the end of the channel too and posts the death event.
        }
        return true;
    }

    private static void flush(Worker worker) {
        try {
            worker.flush();
        } catch (IOException e) {
            // The reader thread sees the end of the channel too and posts the death event.
        }
    }

    /**
     * Ends the job in every worker still alive (those not ended already) and waits until each has
     * released its views.
     */
    private void endJob(long job, Set<Worker> active, Set<Worker> ended, Set<Worker> closedJob) {
        Set<Worker> waiting = new LinkedHashSet<>();
        for (Worker worker : active) {
            if (closedJob.contains(worker)) {
                continue;
            }
            if (ended.contains(worker)) {
                waiting.add(worker);
                continue;
            }
            try {
                worker.send(new Protocol.JobEnd(job));
                waiting.add(worker);
            } catch (IOException e) {
                // Gone: it holds no views any more.
            }
        }
        while (!waiting.isEmpty()) {
            Event event;
            try {
                event = events.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (event == null) {
                waiting.removeIf(w -> !w.process.isAlive());
            } else if (event.message() == null || event.message() instanceof Protocol.JobClosed c && c.job() == job) {
                waiting.remove(event.worker());
            }
        }
    }

    private static ApplyException first(ApplyException current, ApplyException candidate) {
        return current != null ? current : candidate;
    }

    private WorkerDiedException died(Call call, Worker worker, Protocol.Chunk chunk) {
        worker.gone = true;
        return new WorkerDiedException("worker died during the call: worker=" + worker.slot + ", pid=" + worker.process.pid()
            + exitCode(worker) + (chunk == null ? "" : ", chunk=[" + chunk.from() + ", " + chunk.to() + ")")
            + ", variable=" + call.spec().namespace() + "." + call.spec().variable()
            + "; the call failed, the worker is replaced", worker.slot, worker.process.pid(), chunk == null ? -1 : chunk.from());
    }

    /**
     * The innermost cause as {@code class: message}: usually a function class missing from the
     * workers' class path, which the outer exceptions only wrap.
     */
    private static String rootCause(Throwable error) {
        Throwable root = error;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 32; depth++) {
            root = root.getCause();
        }
        // A RemoteFailure's message is already the worker's "class: message".
        return root instanceof RemoteFailure ? root.getMessage() : root.toString();
    }

    private static String exitCode(Worker worker) {
        try {
            if (worker.process.waitFor(500, TimeUnit.MILLISECONDS)) {
                int code = worker.process.exitValue();
                return ", exitCode=" + code + (code > 128 ? " (signal " + (code - 128) + ")" : "");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ", exitCode=unknown";
    }

    @Override
    public int size() {
        return size;
    }

    /**
     * Returns the threads each worker computes on ({@link WorkerOptions#threads()}).
     *
     * @return the threads each worker computes on
     */
    public int threadsPerWorker() {
        return options.threads();
    }

    @Override
    public MemShare registry() {
        return registry;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /**
     * {@inheritDoc} Waits until every worker has released the namespace.
     */
    @Override
    public void releaseNamespace(String namespace) {
        callLock.acquire("gc of namespace " + namespace, this);
        try {
            checkOpen();
            registry.releaseNamespace(namespace);
            replaceGone();
            Set<Worker> waiting = new LinkedHashSet<>();
            for (Worker worker : workers) {
                awaitReady(worker);
                try {
                    worker.send(new Protocol.Gc(namespace));
                    waiting.add(worker);
                } catch (IOException e) {
                    // Gone: a dead worker holds no views.
                }
            }
            while (!waiting.isEmpty()) {
                Event event = events.poll(1, TimeUnit.SECONDS);
                if (event == null) {
                    waiting.removeIf(w -> !w.process.isAlive());
                } else if (event.message() == null || event.message() instanceof Protocol.GcDone) {
                    waiting.remove(event.worker());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while releasing a namespace: namespace=" + namespace, e);
        } finally {
            callLock.release();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("cluster is closed: cluster=" + this);
        }
    }

    /**
     * Stops every worker JVM (a shutdown message, then the end of its stdin, then SIGKILL for those
     * still running after 2 s), all at once, and returns when they have ended and what they printed
     * has been forwarded to {@link WorkerOptions#log()}.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Worker> started = Arrays.stream(workers).filter(Objects::nonNull).toList();
        started.forEach(Worker::requestStop);
        // One grace period for all: a stuck worker must not make the others wait their turn.
        long deadline = System.nanoTime() + STOP_GRACE_NANOS;
        for (Worker worker : started) {
            worker.awaitStop(deadline);
        }
    }

    @Override
    public String toString() {
        return "ProcessCluster[size=" + size + (options.threads() == 1 ? "" : ", threadsPerWorker=" + options.threads()) + (closed ? ", closed" : "") + "]";
    }
}

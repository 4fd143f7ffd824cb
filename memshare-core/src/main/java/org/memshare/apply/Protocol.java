package org.memshare.apply;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The channel between a parent and one worker JVM: the worker's stdin (parent to worker) and stdout
 * (worker to parent), both private pipes inherited at start, never a port. The worker's stderr is a
 * third pipe carrying log lines, which the parent forwards with a {@code [worker N]} prefix.
 *
 * <p>Frame layout, the same in both directions:
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |              payload length in bytes (int32, big-endian)      |
 * +---------------+-----------------------------------------------+
 * | kind (int8)   |  payload: fields of the message, see below ...
 * +---------------+-----------------------------------------------+
 * </pre>
 * The kind byte is {@link MessageKind#code()}. Each kind's payload is listed beside {@code encode}: fixed
 * binary fields for the frequent messages, Java serialization only for the function, for results
 * other than doubles and for failures.
 *
 * <p>Conversation of one call: the parent sends {@link JobStart} to each worker it uses, then
 * {@link Chunk}s, at most {@link #CHUNKS_IN_FLIGHT} per compute thread of a worker (a worker asks for
 * nothing: the parent sends the next chunk when a {@link ChunkResult} arrives, which balances load
 * dynamically). Each chunk is answered by one {@link ChunkResult} or one {@link Failure}; a worker with
 * several compute threads answers chunks in the order they finish. Then {@link JobEnd}, answered by
 * {@link JobClosed} once the worker has released its views. A worker answers frames in order, so
 * JobClosed also means no older frame of that job is still on the way. {@link Gc} is answered by
 * {@link GcDone}. EOF on stdin makes a worker exit (its parent is gone); EOF on stdout tells the
 * parent its worker is gone.
 */
final class Protocol {
    /** Chunks sent per compute thread of a worker before the first answer: one computing, one waiting, no idle gap. */
    static final int CHUNKS_IN_FLIGHT = 2;

    /**
     * What a worker writes first on its stdout, before any frame. A JVM option may make the JVM print
     * to standard output before the worker's {@code main} runs ({@code -XX:+PrintCommandLineFlags},
     * a compile command without {@code quiet}); that text comes before this mark, and the parent
     * forwards it to the log instead of reading it as frames. It starts with a zero byte, which text
     * does not hold.
     */
    private static final byte[] CHANNEL_START = {0, 'm', 'e', 'm', 's', 'h', 'a', 'r', 'e', 0};

    /** Largest payload accepted, a guard against a corrupted length. */
    static final int MAX_PAYLOAD = Integer.MAX_VALUE - 64;

    private Protocol() {
    }

    /** Message kinds and their codes on the wire. */
    enum MessageKind {
        /** Worker to parent, once after start: the worker is listening. */
        READY(1, Ready.class),
        /** Parent to worker: a call begins; map its variables. */
        JOB_START(2, JobStart.class),
        /** Parent to worker: compute a range of indexes. */
        CHUNK(3, Chunk.class),
        /** Worker to parent: the results of a chunk, in index order. */
        RESULT(4, ChunkResult.class),
        /** Worker to parent: the chunk failed at an index (or the job could not start: index -1). */
        FAILURE(5, Failure.class),
        /** Parent to worker: the call is over; release its views. */
        JOB_END(6, JobEnd.class),
        /** Worker to parent: the views of the call are released. */
        JOB_CLOSED(7, JobClosed.class),
        /** Parent to worker: release every view and page of a namespace. */
        GC(8, Gc.class),
        /** Worker to parent: the namespace is released. */
        GC_DONE(9, GcDone.class),
        /** Parent to worker: exit now. */
        SHUTDOWN(10, Shutdown.class);

        private final int code;
        private final Class<? extends Message> type;

        MessageKind(int code, Class<? extends Message> type) {
            this.code = code;
            this.type = type;
        }

        int code() {
            return code;
        }

        static MessageKind of(Message message) {
            for (MessageKind kind : values()) {
                if (kind.type == message.getClass()) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("not a protocol message: class=" + message.getClass().getName());
        }

        static MessageKind ofCode(int code) {
            for (MessageKind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            throw new IllegalStateException("unknown message kind on the channel: code=" + code);
        }
    }

    /** A message on the channel. */
    sealed interface Message extends Serializable
        permits Ready, JobStart, Chunk, ChunkResult, Failure, JobEnd, JobClosed, Gc, GcDone, Shutdown {
    }

    /**
     * The worker is listening.
     *
     * @param pid the worker's process id
     */
    record Ready(long pid) implements Message {
        @Serial private static final long serialVersionUID = 1L;
    }

    /**
     * A call begins: the worker maps its variables and deserializes the function.
     *
     * @param job call number, unique within the cluster
     * @param spec names of the target and variables
     * @param function the function, serialized once in the parent
     */
    record JobStart(long job, JobSpec spec, byte[] function) implements Message {
        @Serial private static final long serialVersionUID = 1L;
    }

    /**
     * Compute the indexes {@code from} to {@code to}.
     *
     * @param job call number
     * @param from first index
     * @param to end index, exclusive
     */
    record Chunk(long job, long from, long to) implements Message {
        @Serial private static final long serialVersionUID = 1L;
    }

    /**
     * The results of a chunk, in index order.
     *
     * @param job call number
     * @param from first index of the chunk
     * @param results one per index from {@code from}
     */
    record ChunkResult(long job, long from, List<Object> results) implements Message {
        @Serial private static final long serialVersionUID = 1L;
    }

    /**
     * The chunk failed at an index, or the job could not start in this worker.
     *
     * @param job call number
     * @param from first index of the chunk
     * @param to end of the chunk
     * @param index the index that failed, or -1 when the job could not start in this worker
     * @param error the worker's exception, rebuilt
     */
    record Failure(long job, long from, long to, long index, RemoteFailure error) implements Message {
        @Serial private static final long serialVersionUID = 1L;
    }

    /**
     * The call is over: the worker releases its views.
     *
     * @param job call number
     */
    record JobEnd(long job) implements Message {
        @Serial private static final long serialVersionUID = 1L;
    }

    /**
     * The worker has released the call's views.
     *
     * @param job call number
     */
    record JobClosed(long job) implements Message {
        @Serial private static final long serialVersionUID = 1L;
    }

    /**
     * Release every view and page of a namespace.
     *
     * @param namespace the namespace to release
     */
    record Gc(String namespace) implements Message {
        @Serial private static final long serialVersionUID = 1L;
    }

    /**
     * The namespace is released in this worker.
     *
     * @param namespace the namespace released
     */
    record GcDone(String namespace) implements Message {
        @Serial private static final long serialVersionUID = 1L;
    }

    /** Exit now. */
    record Shutdown() implements Message {
        @Serial private static final long serialVersionUID = 1L;
    }

    /**
     * Writes one frame and flushes it.
     *
     * @throws NotSerializableException when the message holds an object that is not serializable;
     *         nothing has been written then
     * @throws IOException when the pipe is closed (the other side is gone)
     */
    static void write(DataOutputStream out, Message message) throws IOException {
        write(out, message, true);
    }

    /**
     * Writes one frame, flushing only when asked: a job start and its first chunks go out in one pipe
     * write, which saves the worker a wake-up per frame.
     */
    static void write(DataOutputStream out, Message message, boolean flush) throws IOException {
        byte[] payload = encode(message);
        synchronized (out) {
            out.writeInt(payload.length);
            out.writeByte(MessageKind.of(message).code());
            out.write(payload);
            if (flush) {
                out.flush();
            }
        }
    }

    /** Writes the mark that starts a worker's channel ({@link #CHANNEL_START}); flushed with the next frame. */
    static void writeChannelStart(DataOutputStream out) throws IOException {
        synchronized (out) {
            out.write(CHANNEL_START);
        }
    }

    /**
     * Reads a worker's stdout up to the end of the mark that starts its channel, passing each line of
     * text before it (what the JVM printed before the worker's {@code main} ran) to {@code text}.
     *
     * @return whether the mark was found; false when the stream ended first
     */
    static boolean skipToChannelStart(InputStream in, Consumer<String> text) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int matched = 0;
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == CHANNEL_START[matched]) {
                if (++matched == CHANNEL_START.length) {
                    if (line.size() > 0) {
                        text.accept(line.toString(StandardCharsets.UTF_8));
                    }
                    return true;
                }
                continue;
            }
            // Not the mark after all: what matched so far was text (but for the zero byte).
            line.write(CHANNEL_START, 1, Math.max(0, matched - 1));
            matched = b == CHANNEL_START[0] ? 1 : 0;
            if (matched == 1) {
                continue;
            }
            if (b == '\n') {
                text.accept(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else if (b != '\r') {
                line.write(b);
            }
        }
        if (line.size() > 0) {
            text.accept(line.toString(StandardCharsets.UTF_8));
        }
        return false;
    }

    /**
     * Reads one frame.
     *
     * @return the message, or null at a clean end of stream (the other side closed the pipe)
     * @throws IOException on a broken or corrupted stream
     */
    static Message read(DataInputStream in) throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            return null;
        }
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new IOException("corrupted frame: length=" + length);
        }
        MessageKind kind = MessageKind.ofCode(in.readUnsignedByte());
        byte[] payload = new byte[length];
        in.readFully(payload);
        return decode(kind, payload);
    }

    /*
     * Payloads. The frequent small messages are fixed binary fields (big-endian, as DataOutput writes
     * them): Java serialization costs tens of microseconds per frame and dominated the per-call overhead.
     *   READY      pid:int64
     *   JOB_START  job:int64, namespace:utf, target:int8, variable:utf, varCount:int32,
     *              (name:utf, variable:utf) * varCount, functionLength:int32, function bytes (Java-serialized)
     *   CHUNK      job:int64, from:int64, to:int64
     *   RESULT     job:int64, from:int64, encoding:int8, then
     *              encoding 1 (every result a non-null Double): count:int32, value:float64 * count
     *              encoding 2 (anything else): the List, Java-serialized
     *   FAILURE    the record, Java-serialized (rare)
     *   JOB_END, JOB_CLOSED   job:int64
     *   GC, GC_DONE           namespace:utf
     *   SHUTDOWN   empty
     */
    private static final int RESULT_DOUBLES = 1;
    private static final int RESULT_SERIALIZED = 2;

    private static byte[] encode(Message message) throws IOException {
        if (message instanceof Failure) {
            return serialize(message);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        DataOutputStream out = new DataOutputStream(bytes);
        switch (message) {
            case Ready r -> out.writeLong(r.pid());
            case JobStart j -> {
                out.writeLong(j.job());
                out.writeUTF(j.spec().namespace());
                out.writeByte(j.spec().target().ordinal());
                out.writeUTF(j.spec().variable());
                out.writeInt(j.spec().vars().size());
                for (JobSpec.VarRef ref : j.spec().vars()) {
                    out.writeUTF(ref.name());
                    out.writeUTF(ref.variable());
                }
                out.writeInt(j.function().length);
                out.write(j.function());
            }
            case Chunk c -> {
                out.writeLong(c.job());
                out.writeLong(c.from());
                out.writeLong(c.to());
            }
            case ChunkResult r -> {
                out.writeLong(r.job());
                out.writeLong(r.from());
                if (r.results().stream().allMatch(v -> v instanceof Double)) {
                    out.writeByte(RESULT_DOUBLES);
                    out.writeInt(r.results().size());
                    for (Object value : r.results()) {
                        out.writeDouble((Double) value);
                    }
                } else {
                    out.writeByte(RESULT_SERIALIZED);
                    out.write(serialize(r.results()));
                }
            }
            case JobEnd e -> out.writeLong(e.job());
            case JobClosed c -> out.writeLong(c.job());
            case Gc g -> out.writeUTF(g.namespace());
            case GcDone g -> out.writeUTF(g.namespace());
            case Shutdown s -> { }
            case Failure f -> throw new IllegalStateException("unreachable");
        }
        out.flush();
        return bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static Message decode(MessageKind kind, byte[] payload) throws IOException {
        if (kind == MessageKind.FAILURE) {
            Object message = deserialize(payload);
            if (!(message instanceof Failure failure)) {
                throw new IOException("corrupted frame: kind=" + kind + ", payloadClass=" + message.getClass().getName());
            }
            return failure;
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        return switch (kind) {
            case READY -> new Ready(in.readLong());
            case JOB_START -> {
                long job = in.readLong();
                String namespace = in.readUTF();
                JobSpec.Target target = JobSpec.Target.values()[in.readUnsignedByte()];
                String variable = in.readUTF();
                int count = in.readInt();
                List<JobSpec.VarRef> vars = new ArrayList<>(count);
                for (int k = 0; k < count; k++) {
                    vars.add(new JobSpec.VarRef(in.readUTF(), in.readUTF()));
                }
                byte[] function = new byte[in.readInt()];
                in.readFully(function);
                yield new JobStart(job, new JobSpec(namespace, target, variable, vars), function);
            }
            case CHUNK -> new Chunk(in.readLong(), in.readLong(), in.readLong());
            case RESULT -> {
                long job = in.readLong();
                long from = in.readLong();
                int encoding = in.readUnsignedByte();
                if (encoding == RESULT_DOUBLES) {
                    int count = in.readInt();
                    Object[] values = new Object[count];
                    for (int k = 0; k < count; k++) {
                        values[k] = in.readDouble();
                    }
                    yield new ChunkResult(job, from, Arrays.asList(values));
                }
                if (encoding != RESULT_SERIALIZED) {
                    throw new IOException("corrupted frame: kind=RESULT, encoding=" + encoding);
                }
                yield new ChunkResult(job, from, (List<Object>) deserialize(in.readAllBytes()));
            }
            case JOB_END -> new JobEnd(in.readLong());
            case JOB_CLOSED -> new JobClosed(in.readLong());
            case GC -> new Gc(in.readUTF());
            case GC_DONE -> new GcDone(in.readUTF());
            case SHUTDOWN -> new Shutdown();
            case FAILURE -> throw new IllegalStateException("unreachable");
        };
    }

    /** Java serialization of one object into a fresh array (no stream state shared between frames). */
    static byte[] serialize(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /** The inverse of {@link #serialize}; class-not-found becomes an {@link InvalidClassException}. */
    static Object deserialize(byte[] bytes) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        } catch (ClassNotFoundException e) {
            InvalidClassException invalid = new InvalidClassException("class not on this JVM's class path: " + e.getMessage());
            invalid.initCause(e);
            throw invalid;
        }
    }

    /** Frames of a call encoded and decoded by {@link #warmUp} (enough for the JIT's first tier). */
    static final int WARM_FRAMES = 100;

    /**
     * Runs the protocol path of a call through in this JVM: the frames of a call (JOB_START, CHUNK,
     * RESULT, JOB_END, JOB_CLOSED) encoded and decoded {@value #WARM_FRAMES} times, and a serialized
     * lambda deserialized {@code functions} times. Loading and linking those classes (object streams,
     * lambda deserialization) took most of a fresh cluster's first call, and interpreting the frame
     * code most of the next ones (measured by {@code bench apply}: {@code first_call_ms},
     * {@code overhead_first100_ms}). A worker runs it before it says READY, a parent in the
     * background when it starts its first process cluster.
     */
    static void warmUp(int functions) {
        try {
            MarginFunction<Double> sample = (slice, vars) -> slice.sum();
            byte[] function = serialize(sample);
            JobSpec spec = new JobSpec("warm", JobSpec.Target.COLUMNS, "x", List.of(new JobSpec.VarRef("y", "y")));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
            for (int round = 0; round < WARM_FRAMES; round++) {
                bytes.reset();
                DataOutputStream frames = new DataOutputStream(bytes);
                write(frames, new JobStart(round, spec, function), false);
                write(frames, new Chunk(round, 0, 2), false);
                write(frames, new ChunkResult(round, 0, List.of(1.0, 2.0)), false);
                write(frames, new JobEnd(round), false);
                write(frames, new JobClosed(round));
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
                for (Message m = read(in); m != null; m = read(in)) {
                    if (m instanceof JobStart start && round < functions) {
                        deserialize(start.function());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the protocol failed on its own frames", e);
        }
    }
}

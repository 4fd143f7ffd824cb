package org.memshare.apply;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;

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
 * | kind (int8)   |  payload: the message record, Java-serialized ...
 * +---------------+-----------------------------------------------+
 * </pre>
 * The kind byte is {@link Kind#code()}; it is checked against the payload's record type, so a
 * corrupted stream fails loudly instead of being misread.
 *
 * <p>Conversation of one call: the parent sends {@link JobStart} to each worker it uses, then
 * {@link Chunk}s, at most {@link #CHUNKS_IN_FLIGHT} per worker (a worker asks for nothing: the
 * parent sends the next chunk when a {@link Result} arrives, which balances load dynamically). Each
 * chunk is answered by one {@link Result} or one {@link Failure}. Then {@link JobEnd}, answered by
 * {@link JobClosed} once the worker has released its views. A worker answers frames in order, so
 * JobClosed also means no older frame of that job is still on the way. {@link Gc} is answered by
 * {@link GcDone}. EOF on stdin makes a worker exit (its parent is gone); EOF on stdout tells the
 * parent its worker is gone.
 */
final class Protocol {
    /** Chunks sent to one worker before the first answer: one computing, one waiting, no idle gap. */
    static final int CHUNKS_IN_FLIGHT = 2;

    /** Largest payload accepted, a guard against a corrupted length. */
    static final int MAX_PAYLOAD = Integer.MAX_VALUE - 64;

    private Protocol() {
    }

    /** Message kinds and their codes on the wire. */
    enum Kind {
        /** Worker to parent, once after start: the worker is listening. */
        READY(1, Ready.class),
        /** Parent to worker: a call begins; map its variables. */
        JOB_START(2, JobStart.class),
        /** Parent to worker: compute a range of indexes. */
        CHUNK(3, Chunk.class),
        /** Worker to parent: the results of a chunk, in index order. */
        RESULT(4, Result.class),
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

        Kind(int code, Class<? extends Message> type) {
            this.code = code;
            this.type = type;
        }

        int code() {
            return code;
        }

        static Kind of(Message message) {
            for (Kind kind : values()) {
                if (kind.type == message.getClass()) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("not a protocol message: class=" + message.getClass().getName());
        }

        static Kind ofCode(int code) {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            throw new IllegalStateException("unknown message kind on the channel: code=" + code);
        }
    }

    /** A message on the channel. */
    sealed interface Message extends Serializable
        permits Ready, JobStart, Chunk, Result, Failure, JobEnd, JobClosed, Gc, GcDone, Shutdown {
    }

    /** @param pid the worker's process id */
    record Ready(long pid) implements Message {
        @Serial private static final long serialVersionUID = 1L;
    }

    /**
     * @param job call number, unique within the cluster
     * @param spec names of the target and variables
     * @param function the function, serialized once in the parent
     */
    record JobStart(long job, JobSpec spec, byte[] function) implements Message {
        @Serial private static final long serialVersionUID = 1L;
    }

    /** @param job call number; @param from first index; @param to end index, exclusive */
    record Chunk(long job, long from, long to) implements Message {
        @Serial private static final long serialVersionUID = 1L;
    }

    /** @param job call number; @param from first index; @param results one per index from {@code from} */
    record Result(long job, long from, List<Object> results) implements Message {
        @Serial private static final long serialVersionUID = 1L;
    }

    /**
     * @param job call number
     * @param from first index of the chunk
     * @param to end of the chunk
     * @param index the index that failed, or -1 when the job could not start in this worker
     * @param error the worker's exception, rebuilt
     */
    record Failure(long job, long from, long to, long index, RemoteFailure error) implements Message {
        @Serial private static final long serialVersionUID = 1L;
    }

    /** @param job call number */
    record JobEnd(long job) implements Message {
        @Serial private static final long serialVersionUID = 1L;
    }

    /** @param job call number */
    record JobClosed(long job) implements Message {
        @Serial private static final long serialVersionUID = 1L;
    }

    /** @param namespace the namespace to release */
    record Gc(String namespace) implements Message {
        @Serial private static final long serialVersionUID = 1L;
    }

    /** @param namespace the namespace released */
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
     * @throws NotSerializableException when the message holds an object that is not serializable
     * @throws IOException when the pipe is closed (the other side is gone)
     */
    static void write(DataOutputStream out, Message message) throws IOException {
        byte[] payload = serialize(message);
        synchronized (out) {
            out.writeInt(payload.length);
            out.writeByte(Kind.of(message).code());
            out.write(payload);
            out.flush();
        }
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
        Kind kind = Kind.ofCode(in.readUnsignedByte());
        byte[] payload = new byte[length];
        in.readFully(payload);
        Object message = deserialize(payload);
        if (!kind.type.isInstance(message)) {
            throw new IOException("corrupted frame: kind=" + kind + ", payloadClass=" + message.getClass().getName());
        }
        return (Message) message;
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

    /** {@link #serialize} for values known to be serializable. */
    static byte[] serializeUnchecked(Object value) {
        try {
            return serialize(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

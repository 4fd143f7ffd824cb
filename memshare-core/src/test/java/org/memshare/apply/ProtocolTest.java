package org.memshare.apply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every message survives a trip through a frame; corrupted frames fail loudly. */
class ProtocolTest {

    private static Protocol.Message roundTrip(Protocol.Message message) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Protocol.write(new DataOutputStream(bytes), message);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        Protocol.Message read = Protocol.read(in);
        assertNull(Protocol.read(in), "one frame, then a clean end of stream");
        return read;
    }

    @Test
    void everyKindRoundTrips() throws IOException {
        JobSpec spec = new JobSpec("ns", JobSpec.Target.ROWS, "X", List.of(new JobSpec.VarRef("y", "apply-1-1-v0")));
        Protocol.JobStart start = (Protocol.JobStart) roundTrip(new Protocol.JobStart(7, spec, new byte[] {1, 2, 3}));
        assertEquals(7, start.job());
        assertEquals(spec, start.spec());
        assertArrayEquals(new byte[] {1, 2, 3}, start.function());
        assertEquals(new Protocol.Ready(42), roundTrip(new Protocol.Ready(42)));
        assertEquals(new Protocol.Chunk(7, 10, 20), roundTrip(new Protocol.Chunk(7, 10, 20)));
        assertEquals(new Protocol.JobEnd(7), roundTrip(new Protocol.JobEnd(7)));
        assertEquals(new Protocol.JobClosed(7), roundTrip(new Protocol.JobClosed(7)));
        assertEquals(new Protocol.Gc("ns"), roundTrip(new Protocol.Gc("ns")));
        assertEquals(new Protocol.GcDone("ns"), roundTrip(new Protocol.GcDone("ns")));
        assertEquals(new Protocol.Shutdown(), roundTrip(new Protocol.Shutdown()));
    }

    @Test
    void resultsKeepTheirTypesAndOrder() throws IOException {
        List<Object> doubles = Arrays.asList(1.5, Double.NaN, -0.0, Double.POSITIVE_INFINITY);
        assertEquals(doubles, ((Protocol.ChunkResult) roundTrip(new Protocol.ChunkResult(3, 5, doubles))).results());
        List<Object> mixed = Arrays.asList(1.0, null, "text", 4L, new double[] {1, 2});
        List<Object> back = ((Protocol.ChunkResult) roundTrip(new Protocol.ChunkResult(3, 5, mixed))).results();
        assertEquals(mixed.subList(0, 4), back.subList(0, 4));
        assertArrayEquals(new double[] {1, 2}, (double[]) back.get(4));
    }

    @Test
    void failuresCarryTheRemoteStackTrace() throws IOException {
        IllegalStateException original = new IllegalStateException("boom", new ArithmeticException("inner"));
        Protocol.Failure failure = (Protocol.Failure) roundTrip(new Protocol.Failure(1, 0, 10, 4, RemoteFailure.of(original)));
        assertEquals(4, failure.index());
        assertEquals("java.lang.IllegalStateException: boom", failure.error().getMessage());
        assertArrayEquals(original.getStackTrace(), failure.error().getStackTrace());
        RemoteFailure cause = assertInstanceOf(RemoteFailure.class, failure.error().getCause());
        assertEquals("java.lang.ArithmeticException", cause.remoteClassName());
    }

    @Test
    void aNonSerializableResultWritesNothing() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThrows(NotSerializableException.class, () -> Protocol.write(new DataOutputStream(bytes),
            new Protocol.ChunkResult(1, 0, List.of(new Object()))));
        assertEquals(0, bytes.size());
    }

    @Test
    void corruptedFramesFailLoudly() {
        byte[] badLength = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 3};
        IOException length = assertThrows(IOException.class,
            () -> Protocol.read(new DataInputStream(new ByteArrayInputStream(badLength))));
        assertTrue(length.getMessage().startsWith("corrupted frame: length=-1"), length.getMessage());
        byte[] badKind = {0, 0, 0, 0, 99};
        IllegalStateException kind = assertThrows(IllegalStateException.class,
            () -> Protocol.read(new DataInputStream(new ByteArrayInputStream(badKind))));
        assertEquals("unknown message kind on the channel: code=99", kind.getMessage());
        byte[] truncated = {0, 0, 0, 24, 3, 0, 0};
        assertThrows(IOException.class, () -> Protocol.read(new DataInputStream(new ByteArrayInputStream(truncated))));
    }
    @Test
    void textBeforeTheChannelStartIsPassedOnLineByLineAndTheFramesFollow() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("-XX:+PrintCommandLineFlags -Xmx1g\r\nsecond line\n\0mem not the mark\npartial".getBytes(
            StandardCharsets.UTF_8));
        DataOutputStream out = new DataOutputStream(bytes);
        Protocol.writeChannelStart(out);
        Protocol.write(out, new Protocol.Ready(42));
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        List<String> text = new ArrayList<>();
        assertTrue(Protocol.skipToChannelStart(in, text::add));
        assertEquals(List.of("-XX:+PrintCommandLineFlags -Xmx1g", "second line", "mem not the mark", "partial"), text);
        assertEquals(new Protocol.Ready(42), Protocol.read(in));
        assertNull(Protocol.read(in));
    }

    @Test
    void aChannelWithNoTextStartsAtOnceAndOneThatEndsEarlySaysSo() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        Protocol.writeChannelStart(out);
        Protocol.write(out, new Protocol.Ready(7));
        List<String> text = new ArrayList<>();
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        assertTrue(Protocol.skipToChannelStart(in, text::add));
        assertEquals(List.of(), text);
        assertEquals(new Protocol.Ready(7), Protocol.read(in));
        assertFalse(Protocol.skipToChannelStart(new ByteArrayInputStream("Error: no main class\n".getBytes(
            StandardCharsets.UTF_8)), text::add));
        assertEquals(List.of("Error: no main class"), text);
    }
}

package io.carechat.messaging.websocket.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.tck.transport.RawWebSocket;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidFrameException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The client frame check follows frame boundaries across reads")
class ClientFrameCheckTest {

    private static byte[] stream(byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    /** Feeds the stream in reads of {@code size} bytes. */
    private static void feed(ClientFrameCheck check, byte[] stream, int size) throws InvalidDataException {
        for (int at = 0; at < stream.length; at += size) {
            check.check(ByteBuffer.wrap(Arrays.copyOfRange(stream, at, Math.min(stream.length, at + size))));
        }
    }

    @Test
    @DisplayName("masked frames with 7-bit, 16-bit and 64-bit lengths pass, whatever the size of the reads")
    void maskedPass() {
        byte[] stream = stream(RawWebSocket.maskedFrame(0x81, new byte[5]), RawWebSocket.maskedFrame(0x82, new byte[300]),
                RawWebSocket.maskedFrame(0x82, new byte[70_000]), RawWebSocket.maskedFrame(0x89, new byte[0]));
        for (int size : new int[] {1, 2, 3, 7, 14, 1_000, stream.length}) {
            assertThatCode(() -> feed(new ClientFrameCheck(), stream, size)).as("reads of %d bytes", size)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    @DisplayName("an unmasked frame after masked ones of every length form is refused, whatever the size of the reads")
    void unmaskedRefused() {
        byte[] unmasked = {(byte) 0x81, 2, 'h', 'i'};
        byte[] stream = stream(RawWebSocket.maskedFrame(0x81, new byte[5]), RawWebSocket.maskedFrame(0x82, new byte[300]),
                RawWebSocket.maskedFrame(0x82, new byte[70_000]), unmasked);
        for (int size : new int[] {1, 3, 14, 1_000, stream.length}) {
            assertThatThrownBy(() -> feed(new ClientFrameCheck(), stream, size)).as("reads of %d bytes", size)
                    .isInstanceOf(InvalidFrameException.class).hasMessageContaining("masked");
        }
    }

    @Test
    @DisplayName("the check does not consume what it looks at")
    void doesNotConsume() throws InvalidDataException {
        ByteBuffer bytes = ByteBuffer.wrap(RawWebSocket.maskedFrame(0x81, new byte[5]));
        new ClientFrameCheck().check(bytes);
        org.assertj.core.api.Assertions.assertThat(bytes.remaining()).isEqualTo(bytes.capacity());
    }

    @Test
    @DisplayName("a close frame's reason must be UTF-8 (refused with 1007), an empty or coded-only close passes, split anywhere")
    void closeReasons() {
        byte[] good = stream(RawWebSocket.maskedFrame(0x82, new byte[300]),
                RawWebSocket.maskedFrame(0x88, new byte[] {0x03, (byte) 0xe8, 'b', 'y', (byte) 0xc3, (byte) 0xa9}));
        byte[] bare = stream(RawWebSocket.maskedFrame(0x88, new byte[0]), RawWebSocket.maskedFrame(0x88, new byte[] {0x03, (byte) 0xe8}));
        byte[] bad = stream(RawWebSocket.maskedFrame(0x81, new byte[5]),
                RawWebSocket.maskedFrame(0x88, new byte[] {0x03, (byte) 0xe8, (byte) 0xff, (byte) 0xfe}));
        for (int size : new int[] {1, 3, 1_000}) {
            assertThatCode(() -> feed(new ClientFrameCheck(), good, size)).doesNotThrowAnyException();
            assertThatCode(() -> feed(new ClientFrameCheck(), bare, size)).doesNotThrowAnyException();
            assertThatThrownBy(() -> feed(new ClientFrameCheck(), bad, size)).as("reads of %d bytes", size)
                    .isInstanceOfSatisfying(InvalidDataException.class,
                            e -> org.assertj.core.api.Assertions.assertThat(e.getCloseCode()).isEqualTo(1007));
        }
    }
}

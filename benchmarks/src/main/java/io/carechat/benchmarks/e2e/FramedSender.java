package io.carechat.benchmarks.e2e;

import java.util.function.UnaryOperator;

/**
 * A pair's sender for the relays: each body goes out in one frame, shaped by {@code framing} (as is
 * for the Java-WebSocket relay, as a Socket.IO event for the Socket.IO relay). Thread-safe, as its
 * {@link FrameSender} is; lives as long as its socket.
 *
 * @param sender the socket's sender
 * @param framing turns a body into the frame's text
 */
record FramedSender(FrameSender sender, UnaryOperator<String> framing) implements SystemUnderTest.PairSender {

    @Override
    public void send(String body, long sequence) {
        sender.send(framing.apply(body));
    }

    @Override
    public int discardPending() {
        return sender.discardPending();
    }
}

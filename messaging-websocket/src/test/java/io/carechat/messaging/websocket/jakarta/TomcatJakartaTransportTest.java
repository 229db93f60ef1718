package io.carechat.messaging.websocket.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.tck.transport.RawWebSocket;
import io.carechat.messaging.tck.transport.RunningTransport;
import io.carechat.messaging.tck.transport.TransportContract;
import io.carechat.messaging.tck.transport.TransportServer;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The transport kit on Tomcat 11, with two documented deviations, both Tomcat's:
 * <ul>
 *   <li>Tomcat reads a frame's announced length but enforces the message limit only as the payload
 *       arrives, so a frame announcing more than the limit is closed with 1009 once the limit's
 *       worth of it has come (Tomcat buffers no more than that), not as its header arrives; Tomcat
 *       has no setting for it and the Jakarta API never shows an endpoint the header. The kit's
 *       {@code oversizedFrameCloses1009} is not run here;
 *       {@link #oversizedFrameClosesOnceTheLimitHasArrived()} checks what Tomcat does instead.</li>
 *   <li>When Tomcat closes a socket for a protocol error of its own (1009 here) while the
 *       completion of an asynchronous send is still pending, its close frame is lost: it gives such
 *       a close frame 50 ms ({@code ABNORMAL_SESSION_CLOSE_SEND_TIMEOUT}) behind the pending send,
 *       whose completion needs the socket the reading thread holds, and then drops the connection.
 *       The kit's {@code limitCoversFragmentsAndAllowsItsOwnSize} overflows the limit right after
 *       the hub's answer and so sees the connection drop in some runs; it is not run here, and
 *       {@link #fragmentsCountTogetherAndTheLimitItselfIsRead()} checks the same limit on sockets
 *       with no send pending.</li>
 * </ul>
 *
 * <p>Runs in the {@code tomcat-test} execution of this module's build, whose classpath leaves out
 * the EE 10 API jars that would shadow Tomcat's own copies of the Jakarta APIs.
 */
@DisplayName("The Jakarta WebSocket adapter keeps the transport contract on Tomcat 11")
@EnabledIfSystemProperty(named = "carechat.tomcat.classpath", matches = "true",
        disabledReason = "runs in the tomcat-test execution, whose classpath has Tomcat's own Jakarta APIs")
@ExtendWith(TomcatJakartaTransportTest.TomcatDeviation.class)
class TomcatJakartaTransportTest extends TransportContract {
    private static final int LIMIT = 65_536;

    @Override
    protected TransportServer transport() {
        return (hub, settings) -> {
            CareChatEndpointConfig endpoint = CareChatEndpointConfig.builder()
                    .hub(hub)
                    .path(settings.path())
                    .allowOrigin(settings.allowedOrigin())
                    .maxMessagePayload(settings.maxFramePayload())
                    .build();
            TomcatHost tomcat = TomcatHost.start(endpoint);
            return new RunningTransport() {
                @Override
                public int port() {
                    return tomcat.port();
                }

                @Override
                public void stop(Duration grace) {
                    endpoint.stop(grace);
                    tomcat.close();
                }
            };
        };
    }

    @Test
    @DisplayName("On Tomcat a frame announcing more than the limit closes the socket with 1009 once the limit's worth of payload has arrived")
    void oversizedFrameClosesOnceTheLimitHasArrived() throws Exception {
        try (LoopbackHub loopback = new LoopbackHub();
                CareChatEndpointConfig endpoint = CareChatEndpointConfig.builder().hub(loopback.hub).build();
                TomcatHost tomcat = TomcatHost.start(endpoint);
                RawWebSocket raw = RawWebSocket.upgrade(tomcat.port(), "/ws", Map.of())) {
            assertThat(raw.status()).isEqualTo(101);
            raw.sendRaw(textFrameAnnouncing(10L * 1024 * 1024, LIMIT + 16));
            assertThat(raw.awaitCloseCode()).isEqualTo(1009);
        }
    }

    @Test
    @DisplayName("On Tomcat fragments count together against the limit (1009), and a message of exactly the limit is read")
    void fragmentsCountTogetherAndTheLimitItselfIsRead() throws Exception {
        try (LoopbackHub loopback = new LoopbackHub();
                CareChatEndpointConfig endpoint = CareChatEndpointConfig.builder().hub(loopback.hub).build();
                TomcatHost tomcat = TomcatHost.start(endpoint)) {
            try (RawWebSocket raw = RawWebSocket.upgrade(tomcat.port(), "/ws", Map.of())) {
                raw.sendFrame(RawWebSocket.TEXT, false, new byte[LIMIT / 2 + 8]);
                raw.sendFrame(RawWebSocket.CONTINUATION, false, new byte[LIMIT / 2 + 8]);
                assertThat(raw.awaitCloseCode()).isEqualTo(1009);
            }
            try (RawWebSocket raw = RawWebSocket.upgrade(tomcat.port(), "/ws", Map.of())) {
                raw.sendText(" ".repeat(LIMIT));
                RawWebSocket.Frame close = raw.awaitClose();
                assertThat(close.closeCode()).as("read by the hub, which wants an auth frame first").isEqualTo(4401);
            }
        }
    }

    /**
     * The start of a masked text frame that announces {@code announced} payload bytes and carries
     * {@code sent} of them, all spaces (a zero mask keeps them valid UTF-8).
     */
    private static byte[] textFrameAnnouncing(long announced, int sent) {
        ByteBuffer frame = ByteBuffer.allocate(2 + 8 + 4 + sent);
        frame.put((byte) 0x81).put((byte) (0x80 | 127)).putLong(announced).putInt(0);
        while (frame.hasRemaining()) {
            frame.put((byte) ' ');
        }
        return frame.array();
    }

    /** Leaves out the two kit tests Tomcat cannot pass reliably; see the class comment. */
    static final class TomcatDeviation implements ExecutionCondition {
        private static final Map<String, String> LEFT_OUT = Map.of(
                "oversizedFrameCloses1009", "Tomcat enforces the message limit as payload arrives, not at the "
                        + "frame header; see oversizedFrameClosesOnceTheLimitHasArrived",
                "limitCoversFragmentsAndAllowsItsOwnSize", "Tomcat loses its own 1009 close frame behind a pending "
                        + "send completion; see fragmentsCountTogetherAndTheLimitItselfIsRead");

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String reason = context.getTestMethod().map(Method::getName).map(LEFT_OUT::get).orElse(null);
            return reason == null
                    ? ConditionEvaluationResult.enabled("kept on Tomcat")
                    : ConditionEvaluationResult.disabled(reason);
        }
    }
}

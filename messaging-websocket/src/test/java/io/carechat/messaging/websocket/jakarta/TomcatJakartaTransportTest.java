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
 * The transport kit on Tomcat 11, with one documented deviation: Tomcat reads a frame's announced
 * length but enforces the message limit only as the payload arrives, so a frame announcing more
 * than the limit is closed with 1009 once the limit's worth of it has come (Tomcat buffers no more
 * than that), not as its header arrives; Tomcat has no setting for it and the Jakarta API never
 * shows an endpoint the header. The kit's {@code oversizedFrameCloses1009} is therefore not run
 * here, and {@link #oversizedFrameClosesOnceTheLimitHasArrived()} checks what Tomcat does instead.
 *
 * <p>Runs in the {@code tomcat-test} execution of this module's build, whose classpath leaves out
 * the EE 10 API jars that would shadow Tomcat's own copies of the Jakarta APIs.
 */
@DisplayName("The Jakarta WebSocket adapter keeps the transport contract on Tomcat 11")
@EnabledIfSystemProperty(named = "carechat.tomcat.classpath", matches = "true",
        disabledReason = "runs in the tomcat-test execution, whose classpath has Tomcat's own Jakarta APIs")
@ExtendWith(TomcatJakartaTransportTest.TomcatDeviation.class)
class TomcatJakartaTransportTest extends TransportContract {
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
                RawWebSocket raw = RawWebSocket.upgrade(tomcat.port(), "/ws",
                        Map.of("Authorization", "Bearer " + loopback.token(LoopbackHub.PATIENT)))) {
            assertThat(raw.status()).isEqualTo(101);
            assertThat(raw.readText()).startsWith("{\"type\":\"ready\"");
            raw.sendRaw(textFrameAnnouncing(10L * 1024 * 1024, 65_536 + 16));
            assertThat(raw.awaitCloseCode()).isEqualTo(1009);
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

    /** Leaves out the one kit test whose rule Tomcat cannot keep; see the class comment. */
    static final class TomcatDeviation implements ExecutionCondition {
        private static final String HEADER_CHECK = "oversizedFrameCloses1009";

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            boolean headerCheck = context.getTestMethod().map(Method::getName).filter(HEADER_CHECK::equals).isPresent();
            return headerCheck
                    ? ConditionEvaluationResult.disabled("Tomcat enforces the message limit as payload arrives, "
                            + "not at the frame header; see oversizedFrameClosesOnceTheLimitHasArrived")
                    : ConditionEvaluationResult.enabled("kept on Tomcat");
        }
    }
}

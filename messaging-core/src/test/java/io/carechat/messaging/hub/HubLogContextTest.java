package io.carechat.messaging.hub;

import static io.carechat.messaging.hub.HubFixture.ANN;
import static io.carechat.messaging.hub.HubFixture.DOCTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.logging.LogContext;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.protocol.ClientFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

@DisplayName("A socket's work runs with its socket id, user id and trace id in the log MDC")
class HubLogContextTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private final HubFixture fixture = new HubFixture();

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    /** A socket that notes the MDC in force whenever the hub hands it a frame. */
    private static final class MdcNotingConnection implements Connection {
        final List<Map<String, String>> contexts = new ArrayList<>();

        @Override
        public String id() {
            return "socket-7";
        }

        @Override
        public @Nullable String remoteAddress() {
            return "127.0.0.1";
        }

        @Override
        public @Nullable String traceId() {
            return TRACE_ID;
        }

        @Override
        public synchronized boolean send(String text) {
            Map<String, String> context = MDC.getCopyOfContextMap();
            contexts.add(context == null ? Map.of() : new HashMap<>(context));
            return true;
        }

        @Override
        public void close(int code, String reason) {}
    }

    @Test
    @DisplayName("the ready frame and a send's answer are written with socketId, userId and traceId, and the"
            + " thread's MDC is left as it was")
    void socketWorkCarriesIds() {
        ConversationId conversation = fixture.messaging.openDirect(fixture.caller(DOCTOR), ANN).id();
        MdcNotingConnection connection = new MdcNotingConnection();
        HubSession session = fixture.hub.open(connection, fixture.token(ANN));
        session.onText(HubFixture.CODEC.encode(new ClientFrame.Send("s1", conversation, "m-1", "hello",
                Priority.NORMAL, List.of())));

        assertThat(connection.contexts).hasSizeGreaterThanOrEqualTo(2).allSatisfy(context -> assertThat(context)
                .containsEntry(LogContext.SOCKET_ID, "socket-7")
                .containsEntry(LogContext.USER_ID, ANN.value())
                .containsEntry(LogContext.TRACE_ID, TRACE_ID)
                .doesNotContainKey(LogContext.REQUEST_ID)
                .doesNotContainValue("hello"));
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }
}

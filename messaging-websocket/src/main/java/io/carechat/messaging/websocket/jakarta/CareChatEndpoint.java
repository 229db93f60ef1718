package io.carechat.messaging.websocket.jakarta;

import static java.util.Objects.requireNonNull;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jakarta WebSocket endpoint of one CareChat socket: on open it sets the socket's limits and
 * hands it to the {@link io.carechat.messaging.hub.Hub}, then feeds the hub the client's text
 * messages and tells it when the socket closes. The hub decides every close code (4401, 4408, 4429,
 * 1008, 1013, 1011, 1001); a binary message closes the socket with 1003 {@code text_only}, and the
 * container closes with 1009 a message past the limit and with 1007 invalid UTF-8.
 *
 * <p>Instances are made by the configurator of {@link CareChatEndpointConfig#serverEndpointConfig()},
 * one per socket; an application never creates one. No token, frame or message body is logged.
 *
 * <p>Thread-safe as the Jakarta WebSocket specification requires of a per-socket endpoint: the
 * container calls it from its threads, one event at a time; nothing here blocks. Lifecycle:
 * {@link #onOpen} once, messages, then {@link #onClose} once.
 */
public final class CareChatEndpoint extends Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(CareChatEndpoint.class);

    private final EndpointRuntime runtime;
    private volatile @Nullable JakartaConnection connection;

    CareChatEndpoint(EndpointRuntime runtime) {
        this.runtime = requireNonNull(runtime, "runtime");
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        session.setMaxTextMessageBufferSize(runtime.maxMessagePayload());
        session.setMaxBinaryMessageBufferSize(runtime.maxMessagePayload());
        session.getAsyncRemote().setSendTimeout(runtime.sendTimeoutMillis());
        if (runtime.watchesForLostPeers()) {
            // CareChat's pings find dead peers; a quiet but live client must not hit the container's
            // own idle timeout (Jetty's is 30 s)
            session.setMaxIdleTimeout(0);
        }
        JakartaConnection opened = runtime.connect(session, config.getUserProperties());
        connection = opened;
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) opened::onText);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (part, last) -> opened.refuseBinary());
        runtime.customize(session);
        runtime.admit(session, opened, config.getUserProperties());
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        JakartaConnection c = connection;
        if (c != null) {
            runtime.closed(c);
        }
    }

    @Override
    public void onError(Session session, Throwable thr) {
        LOG.debug("socket error ({})", thr.getClass().getName());
    }
}

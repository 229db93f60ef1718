package io.carechat.messaging.websocket.jakarta;

import io.carechat.messaging.hub.CloseCodes;
import io.carechat.messaging.hub.Hub;
import io.carechat.messaging.logging.TraceParent;
import io.carechat.messaging.websocket.internal.UnauthenticatedSockets;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sockets of one {@link CareChatEndpointConfig} share: the hub, the upgrade rules, the
 * open connections, the closing executor and the ping timer. {@link UpgradeServlet}, the
 * configurator and each {@link CareChatEndpoint} use it.
 *
 * <p>Not API. Thread-safe. Lifecycle: made by {@link CareChatEndpointConfig.Builder#build()}, ended
 * by {@link #stop(long)}.
 */
final class EndpointRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointRuntime.class);
    /** User property: the client's address, put by {@link UpgradeServlet}. */
    static final String ADDRESS = "io.carechat.address";
    /** User property: the bearer token of the upgrade request, read once and removed. */
    static final String TOKEN = "io.carechat.token";
    /** User property: the trace id of the upgrade request's valid {@code traceparent}. */
    static final String TRACE_ID = "io.carechat.traceId";
    /** User property: the upgrade request carried a query string. */
    static final String QUERY = "io.carechat.query";
    /** The user property in which Jetty and Tomcat give the client's address. */
    private static final String CONTAINER_ADDRESS = "jakarta.websocket.endpoint.remoteAddress";

    /** Why an upgrade is refused, as an HTTP status, and when to retry (0: not said). */
    record Refusal(int status, String reason, long retryAfterSeconds) {}

    private final Hub hub;
    private final String path;
    private final Set<String> allowedOrigins;
    private final ToLongFunction<String> upgradeLimiter;
    private final UnauthenticatedSockets unauthenticated;
    private final int maxMessagePayload;
    private final long sendTimeoutMillis;
    private final long connectionLostTimeoutNanos;
    private final ExecutorService closer;
    private final ScheduledExecutorService pinger;
    private final Set<JakartaConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong socketNumbers = new AtomicLong();
    private final ServerEndpointConfig.Configurator configurator = new Configurator();
    private final Consumer<Session> sessionCustomizer;
    private volatile boolean draining;

    EndpointRuntime(CareChatEndpointConfig.Builder b, Hub hub) {
        this.hub = hub;
        this.path = b.path;
        this.allowedOrigins = Set.copyOf(b.allowedOrigins);
        this.upgradeLimiter = b.upgradeLimiter;
        this.unauthenticated = new UnauthenticatedSockets(b.unauthenticatedSocketsPerAddress);
        this.maxMessagePayload = b.maxMessagePayload;
        this.sendTimeoutMillis = b.sendTimeout.toMillis();
        this.connectionLostTimeoutNanos = b.connectionLostTimeout.toNanos();
        this.sessionCustomizer = b.sessionCustomizer;
        this.closer = Executors.newCachedThreadPool(daemon("carechat-jakarta-close"));
        this.pinger = Executors.newSingleThreadScheduledExecutor(daemon("carechat-jakarta-ping"));
        if (connectionLostTimeoutNanos > 0) {
            long interval = Math.max(1, connectionLostTimeoutNanos / 2);
            pinger.scheduleWithFixedDelay(this::pingAll, interval, interval, TimeUnit.NANOSECONDS);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    String path() {
        return path;
    }

    int maxMessagePayload() {
        return maxMessagePayload;
    }

    long sendTimeoutMillis() {
        return sendTimeoutMillis;
    }

    /** Whether pings find dead peers, in place of the container's idle timeout. */
    boolean watchesForLostPeers() {
        return connectionLostTimeoutNanos > 0;
    }

    int openSockets() {
        return open.size();
    }

    /** Applies the builder's container-specific settings to a session that just opened. */
    void customize(Session session) {
        sessionCustomizer.accept(session);
    }

    /** A new per-upgrade configuration, for {@link UpgradeServlet}. */
    ServerEndpointConfig newEndpointConfig() {
        return ServerEndpointConfig.Builder.create(CareChatEndpoint.class, path)
                .configurator(configurator)
                .build();
    }

    /**
     * Checks an upgrade request before the container upgrades it.
     *
     * @return why it is refused, or null to upgrade
     */
    @Nullable Refusal check(@Nullable String query, @Nullable String origin, @Nullable String address, boolean upgrade) {
        if (draining) {
            return new Refusal(503, "server_shutdown", 0);
        }
        long retryAfter = address == null ? 0 : upgradeLimiter.applyAsLong(address);
        if (retryAfter > 0) {
            return new Refusal(429, "rate_limited", retryAfter);
        }
        if (query != null) {
            return new Refusal(400, "query_refused", 0);
        }
        if (!originAllowed(origin)) {
            return new Refusal(403, "origin_refused", 0);
        }
        if (!upgrade) {
            return new Refusal(400, "upgrade_required", 0);
        }
        return null;
    }

    private boolean originAllowed(@Nullable String origin) {
        return origin == null || allowedOrigins.contains(origin);
    }

    /** Makes the connection of a session that just opened. */
    JakartaConnection connect(Session session, Map<String, Object> properties) {
        String address = properties.get(ADDRESS) instanceof String a ? a : containerAddress(session);
        String traceId = properties.get(TRACE_ID) instanceof String t ? t : null;
        return new JakartaConnection(session, "jws-" + socketNumbers.incrementAndGet(), address, traceId, closer);
    }

    private static @Nullable String containerAddress(Session session) {
        Object value = session.getUserProperties().get(CONTAINER_ADDRESS);
        return value instanceof InetSocketAddress remote && remote.getAddress() != null
                ? remote.getAddress().getHostAddress() : null;
    }

    /**
     * Hands a new socket to the hub, or closes it: while stopping (1001), when its upgrade carried
     * a query string (1008; only possible when registered without the servlet), or when its address
     * holds the most unauthenticated sockets (1008).
     */
    void admit(Session session, JakartaConnection connection, Map<String, Object> properties) {
        Object token = properties.remove(TOKEN);
        session.getUserProperties().remove(TOKEN);
        open.add(connection);
        if (draining) {
            connection.close(CloseCodes.GOING_AWAY, "server_shutdown");
            return;
        }
        if (properties.containsKey(QUERY)) {
            connection.close(CloseCodes.POLICY_VIOLATION, "query_refused");
            return;
        }
        String address = connection.remoteAddress();
        UnauthenticatedSockets.Place place = address == null ? null : unauthenticated.enter(address);
        if (address != null && place == null) {
            connection.close(CloseCodes.POLICY_VIOLATION, "too_many_unauthenticated");
            return;
        }
        if (place != null) {
            connection.countAsUnauthenticated(place);
        }
        session.addMessageHandler(PongMessage.class, pong -> connection.heard());
        connection.attach(hub.open(connection, token instanceof String t ? t : null));
    }

    /** Forgets a socket that closed and tells the hub. */
    void closed(JakartaConnection connection) {
        open.remove(connection);
        connection.onClosed();
    }

    /** Pings every socket; one silent for longer than the connection-lost timeout is dropped. */
    private void pingAll() {
        long now = System.nanoTime();
        for (JakartaConnection connection : open) {
            if (now - connection.lastHeard() > connectionLostTimeoutNanos) {
                LOG.debug("{}: no pong within the connection-lost timeout", connection.id());
                connection.abort();
                // the close handshake cannot finish with a peer that is gone: the hub learns now
                closed(connection);
            } else {
                connection.ping();
            }
        }
    }

    /**
     * Stops gracefully: new upgrades are refused, every hub session is drained, then every socket is
     * closed with 1001 {@code server_shutdown} after its queued frames. Returns when every socket is
     * closed, or at the deadline.
     *
     * @param deadline {@link System#nanoTime()} by which to return
     */
    void stop(long deadline) {
        draining = true;
        List<CompletableFuture<Void>> drains = new ArrayList<>();
        List<JakartaConnection> connections = new ArrayList<>(open);
        for (JakartaConnection connection : connections) {
            drains.add(connection.drain());
        }
        try {
            CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("not every socket was drained in time");
        }
        for (JakartaConnection connection : connections) {
            connection.close(CloseCodes.GOING_AWAY, "server_shutdown");
        }
        while (!open.isEmpty() && System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pinger.shutdownNow();
        closer.shutdown();
    }

    /**
     * The configurator of every CareChat endpoint: exact origin check, no extension and no
     * subprotocol, the bearer token taken from the handshake, and endpoints bound to this runtime.
     */
    private final class Configurator extends ServerEndpointConfig.Configurator {
        @Override
        public boolean checkOrigin(@Nullable String originHeaderValue) {
            return originAllowed(originHeaderValue);
        }

        @Override
        public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
            return List.of();
        }

        @Override
        public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
            return "";
        }

        @Override
        public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
            String token = bearerToken(request.getHeaders());
            if (token != null) {
                sec.getUserProperties().put(TOKEN, token);
            }
            TraceParent.parse(firstHeader(request.getHeaders(), TraceParent.HEADER))
                    .ifPresent(trace -> sec.getUserProperties().put(TRACE_ID, trace.traceId()));
            String query = request.getQueryString();
            if (query != null && !query.isEmpty()) {
                sec.getUserProperties().put(QUERY, Boolean.TRUE);
            }
        }

        @Override
        public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
            if (!endpointClass.isAssignableFrom(CareChatEndpoint.class)) {
                throw new InstantiationException("this configurator makes CareChat endpoints only");
            }
            return endpointClass.cast(new CareChatEndpoint(EndpointRuntime.this));
        }
    }

    /** The first value of a header, named in any case, or null. */
    private static @Nullable String firstHeader(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (name.equalsIgnoreCase(header.getKey()) && header.getValue() != null && !header.getValue().isEmpty()) {
                return header.getValue().get(0);
            }
        }
        return null;
    }

    /** The token of an {@code Authorization: Bearer} header; a malformed header gives "". */
    static @Nullable String bearerToken(Map<String, List<String>> headers) {
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (header.getKey() != null && header.getKey().equalsIgnoreCase("Authorization")
                    && !header.getValue().isEmpty()) {
                String value = header.getValue().get(0).trim();
                if (value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
                    return value.substring(7).trim();
                }
                return "";
            }
        }
        return null;
    }
}

package io.carechat.messaging.websocket;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.hub.CloseCodes;
import io.carechat.messaging.hub.Hub;
import io.carechat.messaging.logging.TraceParent;
import io.carechat.messaging.websocket.internal.LingeringClose;
import io.carechat.messaging.websocket.internal.MessageSizeDraft;
import io.carechat.messaging.websocket.internal.MeteredChannel;
import io.carechat.messaging.websocket.internal.MeteredServerFactory;
import io.carechat.messaging.websocket.internal.SocketConnection;
import io.carechat.messaging.websocket.internal.UnauthenticatedSockets;
import io.carechat.messaging.websocket.internal.UpgradeTimeout;
import io.carechat.messaging.websocket.internal.WriteRearmer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import javax.net.ssl.SSLContext;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket endpoint of CareChat on Java-WebSocket: it checks each upgrade request, then hands
 * every socket to the {@link Hub} as a {@link io.carechat.messaging.hub.Connection} and feeds the
 * hub the client's text frames.
 *
 * <p>What it enforces before the hub sees anything:
 * <ul>
 *   <li>only the configured path (default {@code /ws}); any other path gets HTTP 404;</li>
 *   <li>no query string at all, so no token can travel in the URL (HTTP 400);</li>
 *   <li>an {@code Origin} header, when present, must equal one of the allowed origins exactly
 *       (HTTP 403); requests without one (server-side clients) pass;</li>
 *   <li>while stopping, new upgrades get HTTP 503;</li>
 *   <li>each upgrade draws on its client address's {@linkplain Builder#upgradeLimiter upgrade
 *       budget}; past it the upgrade gets HTTP 429 with {@code Retry-After};</li>
 *   <li>one address may hold only so many {@linkplain Builder#unauthenticatedSocketsPerAddress
 *       sockets that have not authenticated yet} (default 20); a socket beyond that is closed with
 *       1008 {@code too_many_unauthenticated} as it opens;</li>
 *   <li>a frame whose header announces more than the payload limit (default 64 KiB), or a
 *       fragmented message growing past it, closes the socket with 1009 before the payload is
 *       buffered; binary frames close it with 1003; invalid UTF-8 with 1007;</li>
 *   <li>permessage-deflate and every other extension are off;</li>
 *   <li>a connection whose upgrade request is not complete within the upgrade timeout (default
 *       10 s: silent, or sending its headers slowly) is closed, so idle connections cannot pile
 *       up before the hub's authentication timeout applies;</li>
 *   <li>a peer that stops answering pings is dropped after the connection-lost timeout;</li>
 *   <li>a closed socket {@linkplain Builder#closeLinger lingers}: its sending side is shut down
 *       and what the peer still sends is dropped until the peer closes (2 s at most), so a peer
 *       still sending reads the close frame instead of losing it to a reset.</li>
 * </ul>
 * The bearer token of the {@code Authorization} header goes to {@link Hub#open}; no token, frame
 * or message body is ever logged here. Java-WebSocket itself logs raw handshakes (with their
 * {@code Authorization} header) and frames at TRACE level: keep the {@code org.java_websocket}
 * loggers at DEBUG or above in production. Nothing that blocks runs on the library's threads: the hub
 * does its work on its own workers.
 *
 * <p>Thread-safe. Lifecycle: build, {@link #start()} once, then {@link #stop(Duration)} (or
 * {@link #close()}) once; a stopped server cannot be started again. The server does not own the
 * hub: close the hub after the server.
 */
public final class CareChatWebSocketServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CareChatWebSocketServer.class);
    /** Most bytes read and dropped from one lingering socket per sweep of {@link LingeringClose}. */
    private static final long LINGER_DRAIN_PER_SWEEP = 1024 * 1024;

    private final Hub hub;
    private final String path;
    private final Set<String> allowedOrigins;
    private final ToLongFunction<String> upgradeLimiter;
    private final UnauthenticatedSockets unauthenticated;
    private final Duration startTimeout;
    private final Duration shutdownGrace;
    private final Endpoint endpoint;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final AtomicBoolean startCalled = new AtomicBoolean();
    private final AtomicBoolean stopCalled = new AtomicBoolean();
    private final AtomicLong socketNumbers = new AtomicLong();
    private final WriteRearmer rearmer = new WriteRearmer(Duration.ofMillis(10));
    private final UpgradeTimeout upgradeTimeout;
    private final LingeringClose lingeringClose;
    private volatile boolean draining;

    private CareChatWebSocketServer(Builder b, Hub hub) {
        this.hub = hub;
        this.path = b.path;
        this.allowedOrigins = Set.copyOf(b.allowedOrigins);
        this.upgradeLimiter = b.upgradeLimiter;
        this.unauthenticated = new UnauthenticatedSockets(b.unauthenticatedSocketsPerAddress);
        this.startTimeout = b.startTimeout;
        this.shutdownGrace = b.shutdownGrace;
        this.upgradeTimeout = new UpgradeTimeout(b.upgradeTimeout);
        this.lingeringClose = new LingeringClose(b.closeLinger, LINGER_DRAIN_PER_SWEEP);
        Draft draft = new MessageSizeDraft(b.maxFramePayload);
        this.endpoint = new Endpoint(new InetSocketAddress(b.host, b.port), List.of(draft));
        endpoint.setWebSocketFactory(new MeteredServerFactory(b.sslContext == null
                ? new DefaultWebSocketServerFactory()
                : new DefaultSSLWebSocketServerFactory(b.sslContext), upgradeTimeout, lingeringClose));
        endpoint.setConnectionLostTimeout((int) Math.min(Integer.MAX_VALUE, b.connectionLostTimeout.toSeconds()));
        endpoint.setReuseAddr(true);
        endpoint.setTcpNoDelay(true);
        endpoint.setDaemon(b.daemon);
    }

    /**
     * Starts configuring a server.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts accepting sockets; returns once bound.
     *
     * @throws IllegalStateException when called twice or after stopping
     * @throws java.io.UncheckedIOException when the address cannot be bound in time
     */
    public void start() {
        if (stopCalled.get() || !startCalled.compareAndSet(false, true)) {
            throw new IllegalStateException("the server can be started once");
        }
        rearmer.start();
        upgradeTimeout.start();
        lingeringClose.start();
        endpoint.start();
        try {
            started.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        } catch (ExecutionException | TimeoutException e) {
            stopQuietly();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new java.io.UncheckedIOException("could not bind " + endpoint.getAddress(),
                    new java.io.IOException(cause));
        }
        LOG.info("CareChat WebSocket server listening on {} at {}", address(), path);
    }

    /**
     * The bound port, useful when the builder asked for port 0.
     *
     * @return the port
     * @throws IllegalStateException before {@link #start()}
     */
    public int port() {
        if (!started.isDone()) {
            throw new IllegalStateException("the server is not started");
        }
        return endpoint.getPort();
    }

    /**
     * The bound address.
     *
     * @return the host and port
     */
    public InetSocketAddress address() {
        return new InetSocketAddress(endpoint.getAddress().getAddress(), port());
    }

    /**
     * How many sockets are open.
     *
     * @return the count
     */
    public int openSockets() {
        return endpoint.getConnections().size();
    }

    /**
     * Stops gracefully: new upgrades are refused (503) and client frames no longer reach the hub;
     * then every request the hub already had is answered, each socket is closed with 1001
     * {@code server_shutdown} after its queued frames, and the listening socket is closed. A
     * {@code send} whose {@code sent} did not reach the client is retried by the client with the
     * same {@code clientMsgId} and stored once. Returns within about {@code grace}; sockets still
     * open then are dropped. Idempotent.
     *
     * @param grace how long to wait for answers and close handshakes
     */
    public void stop(Duration grace) {
        requireNonNull(grace, "grace");
        if (!stopCalled.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        draining = true;
        List<CompletableFuture<Void>> drains = new ArrayList<>();
        List<SocketConnection> connections = new ArrayList<>();
        for (WebSocket socket : endpoint.getConnections()) {
            SocketConnection connection = socket.getAttachment();
            if (connection != null) {
                connections.add(connection);
                drains.add(connection.drain());
            }
        }
        await(CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new)), deadline);
        for (SocketConnection connection : connections) {
            connection.close(CloseCodes.GOING_AWAY, "server_shutdown");
        }
        while (!endpoint.getConnections().isEmpty() && System.nanoTime() < deadline) {
            sleepBriefly();
        }
        stopQuietly();
        LOG.info("CareChat WebSocket server stopped");
    }

    /** Stops with the builder's shutdown grace; see {@link #stop(Duration)}. */
    @Override
    public void close() {
        stop(shutdownGrace);
    }

    private void stopQuietly() {
        try {
            endpoint.stop(100, "server_shutdown");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            rearmer.close();
            upgradeTimeout.close();
            lingeringClose.close();
        }
    }

    private static void await(CompletableFuture<?> future, long deadline) {
        try {
            future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("not every socket was drained in time");
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Why an upgrade is refused, as an HTTP status, and when to retry (0: not said). */
    private record Refusal(int status, String phrase, String reason, long retryAfterSeconds) {
        Refusal(int status, String phrase, String reason) {
            this(status, phrase, reason, 0);
        }
    }

    private @Nullable Refusal check(ClientHandshake request, @Nullable String address) {
        if (draining) {
            return new Refusal(503, "Service Unavailable", "server_shutdown");
        }
        long retryAfter = address == null ? 0 : upgradeLimiter.applyAsLong(address);
        if (retryAfter > 0) {
            return new Refusal(429, "Too Many Requests", "rate_limited", retryAfter);
        }
        String target = request.getResourceDescriptor();
        int query = target.indexOf('?');
        String requestPath = query < 0 ? target : target.substring(0, query);
        if (!requestPath.equals(path)) {
            return new Refusal(404, "Not Found", "unknown_path");
        }
        if (query >= 0) {
            return new Refusal(400, "Bad Request", "query_refused");
        }
        if (request.hasFieldValue("Origin") && !allowedOrigins.contains(request.getFieldValue("Origin"))) {
            return new Refusal(403, "Forbidden", "origin_refused");
        }
        return null;
    }

    private static @Nullable String address(WebSocket conn) {
        InetSocketAddress remote = conn.getRemoteSocketAddress();
        return remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress();
    }

    /** The token of an {@code Authorization: Bearer} header; a malformed header gives "". */
    private static @Nullable String bearerToken(ClientHandshake request) {
        if (!request.hasFieldValue("Authorization")) {
            return null;
        }
        String value = request.getFieldValue("Authorization").trim();
        if (value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return value.substring(7).trim();
        }
        return "";
    }

    /** The library's server; kept private so its methods stay out of this API. */
    private final class Endpoint extends WebSocketServer {
        Endpoint(InetSocketAddress address, List<Draft> drafts) {
            super(address, drafts);
        }

        @Override
        public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(
                WebSocket conn, Draft draft, ClientHandshake request) throws InvalidDataException {
            ServerHandshakeBuilder response = super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
            Refusal refusal = check(request, address(conn));
            if (refusal != null) {
                if (((WebSocketImpl) conn).getChannel() instanceof MeteredChannel channel) {
                    channel.refuseWith(refusal.status(), refusal.phrase(), refusal.retryAfterSeconds());
                }
                LOG.debug("upgrade refused with {} ({})", refusal.status(), refusal.reason());
                throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, refusal.reason());
            }
            return response;
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            if (!(((WebSocketImpl) conn).getChannel() instanceof MeteredChannel channel)) {
                conn.close(CloseFrame.UNEXPECTED_CONDITION, "internal_error");
                return;
            }
            if (draining) {
                conn.close(CloseCodes.GOING_AWAY, "server_shutdown");
                return;
            }
            String address = address(conn);
            UnauthenticatedSockets.Place place = address == null ? null : unauthenticated.enter(address);
            if (address != null && place == null) {
                conn.close(CloseCodes.POLICY_VIOLATION, "too_many_unauthenticated");
                return;
            }
            String traceId = TraceParent.parse(handshake.hasFieldValue(TraceParent.HEADER)
                    ? handshake.getFieldValue(TraceParent.HEADER) : null).map(TraceParent::traceId).orElse(null);
            SocketConnection connection = new SocketConnection(conn, channel, "ws-" + socketNumbers.incrementAndGet(),
                    address, traceId, rearmer);
            if (place != null) {
                connection.countAsUnauthenticated(place);
            }
            conn.setAttachment(connection);
            connection.attach(hub.open(connection, bearerToken(handshake)));
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            SocketConnection connection = conn.getAttachment();
            if (connection != null) {
                connection.onText(message);
            }
        }

        @Override
        public void onMessage(WebSocket conn, ByteBuffer message) {
            conn.close(CloseFrame.REFUSE, "text_only");
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            SocketConnection connection = conn.getAttachment();
            if (connection != null) {
                connection.onClosed();
            }
        }

        @Override
        public void onError(@Nullable WebSocket conn, Exception ex) {
            if (conn == null) {
                started.completeExceptionally(ex);
                LOG.warn("the WebSocket server failed ({})", ex.getClass().getName());
            } else {
                LOG.debug("socket error ({})", ex.getClass().getName());
            }
        }

        @Override
        public void onStart() {
            started.complete(null);
        }
    }

    /**
     * Configures a {@link CareChatWebSocketServer}; {@link #build()} checks every value and
     * reports all problems together. Not thread-safe; use from one thread.
     */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private String path = "/ws";
        private @Nullable Hub hub;
        private final List<String> allowedOrigins = new ArrayList<>();
        private int maxFramePayload = 65_536;
        private @Nullable SSLContext sslContext;
        private Duration connectionLostTimeout = Duration.ofSeconds(60);
        private Duration upgradeTimeout = Duration.ofSeconds(10);
        private Duration closeLinger = Duration.ofSeconds(2);
        private Duration startTimeout = Duration.ofSeconds(10);
        private Duration shutdownGrace = Duration.ofSeconds(10);
        private boolean daemon;
        private ToLongFunction<String> upgradeLimiter = address -> 0;
        private int unauthenticatedSocketsPerAddress = 20;

        private Builder() {}

        /**
         * Sets the address to bind; the default is {@code 127.0.0.1}.
         *
         * @param value a host name or IP address, such as {@code 0.0.0.0}
         * @return this builder
         */
        public Builder host(String value) {
            this.host = requireNonNull(value, "host");
            return this;
        }

        /**
         * Sets the port; 0 picks a free one, readable through {@link #port()} after start.
         * The default is 8080.
         *
         * @param value 0 to 65535
         * @return this builder
         */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /**
         * Sets the endpoint path; the default is {@code /ws}.
         *
         * @param value a path starting with {@code /}
         * @return this builder
         */
        public Builder path(String value) {
            this.path = requireNonNull(value, "path");
            return this;
        }

        /**
         * Sets the hub that serves the sockets. Required.
         *
         * @param value the hub
         * @return this builder
         */
        public Builder hub(Hub value) {
            this.hub = requireNonNull(value, "hub");
            return this;
        }

        /**
         * Allows an {@code Origin}, compared exactly (scheme, host and port, such as
         * {@code https://chat.hospital.example}). With none allowed, every upgrade that carries
         * an {@code Origin} (every browser's) is refused.
         *
         * @param origin the origin
         * @return this builder
         */
        public Builder allowOrigin(String origin) {
            allowedOrigins.add(requireNonNull(origin, "origin"));
            return this;
        }

        /**
         * Sets the largest frame payload, and the largest message assembled from fragments; the
         * default is 65,536 bytes.
         *
         * @param bytes at least 1,024
         * @return this builder
         */
        public Builder maxFramePayload(int bytes) {
            this.maxFramePayload = bytes;
            return this;
        }

        /**
         * Serves {@code wss} with this TLS context; without one the server speaks plain
         * {@code ws}, for use behind a TLS-terminating proxy.
         *
         * @param value the context, with its key material
         * @return this builder
         */
        public Builder sslContext(SSLContext value) {
            this.sslContext = requireNonNull(value, "sslContext");
            return this;
        }

        /**
         * Sets after how long without a pong a peer is dropped; pings go out at about half
         * this. Whole seconds; the default is 60 s; zero turns the check off.
         *
         * @param value zero or at least one second
         * @return this builder
         */
        public Builder connectionLostTimeout(Duration value) {
            this.connectionLostTimeout = requireNonNull(value, "connectionLostTimeout");
            return this;
        }

        /**
         * Sets how long a new connection may take to complete its upgrade request before it is
         * closed; the default is 10 s.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder upgradeTimeout(Duration value) {
            this.upgradeTimeout = requireNonNull(value, "upgradeTimeout");
            return this;
        }

        /**
         * Sets how long a closed socket waits for its peer to close its side, reading and
         * dropping what the peer still sends, before it is closed; the default is
         * 2 s. The server's side is shut down at once, so the peer reads every frame written, the
         * close frame included; closing the socket while the peer still sends would end the
         * connection with a reset that loses them. Zero closes at once. Plain sockets only: a TLS
         * socket is closed at once.
         *
         * @param value zero or a positive duration
         * @return this builder
         */
        public Builder closeLinger(Duration value) {
            this.closeLinger = requireNonNull(value, "closeLinger");
            return this;
        }

        /**
         * Sets how long {@link #start()} waits for the port to be bound; the default is 10 s.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder startTimeout(Duration value) {
            this.startTimeout = requireNonNull(value, "startTimeout");
            return this;
        }

        /**
         * Sets the grace {@link #close()} gives a graceful stop; the default is 10 s.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder shutdownGrace(Duration value) {
            this.shutdownGrace = requireNonNull(value, "shutdownGrace");
            return this;
        }

        /**
         * Makes the server's threads daemon threads; the default is false.
         *
         * @param value true for daemon threads
         * @return this builder
         */
        public Builder daemon(boolean value) {
            this.daemon = value;
            return this;
        }

        /**
         * Sets the budget of upgrades per client address: called with the address of every
         * upgrade request, before anything else is checked, it answers 0 to let the upgrade go on,
         * or the seconds until the address may try again, which refuses the upgrade with HTTP 429
         * and that {@code Retry-After}. It must be thread-safe and must not block. The default
         * lets every upgrade go on.
         *
         * @param value the budget, such as a token bucket per address
         * @return this builder
         */
        public Builder upgradeLimiter(ToLongFunction<String> value) {
            this.upgradeLimiter = requireNonNull(value, "upgradeLimiter");
            return this;
        }

        /**
         * Sets how many sockets one client address may hold open before they authenticate (by
         * header or by an {@code auth} frame); a socket beyond that is closed with 1008
         * {@code too_many_unauthenticated} as it opens. The default is 20.
         *
         * @param value the cap, at least 1
         * @return this builder
         */
        public Builder unauthenticatedSocketsPerAddress(int value) {
            this.unauthenticatedSocketsPerAddress = value;
            return this;
        }

        /**
         * Checks the configuration and builds the server, not yet started.
         *
         * @return the server
         * @throws ConfigurationException listing every problem found
         */
        public CareChatWebSocketServer build() {
            List<String> problems = new ArrayList<>();
            if (hub == null) {
                problems.add("hub is required");
            }
            if (port < 0 || port > 65_535) {
                problems.add("port must be between 0 and 65535, was " + port);
            }
            if (!path.startsWith("/") || path.contains("?") || path.contains("#")) {
                problems.add("path must start with / and carry no query or fragment");
            }
            if (unauthenticatedSocketsPerAddress < 1) {
                problems.add("unauthenticatedSocketsPerAddress must be at least 1, was "
                        + unauthenticatedSocketsPerAddress);
            }
            if (maxFramePayload < 1024) {
                problems.add("maxFramePayload must be at least 1024, was " + maxFramePayload);
            }
            if (connectionLostTimeout.isNegative() || (!connectionLostTimeout.isZero()
                    && connectionLostTimeout.toSeconds() < 1)) {
                problems.add("connectionLostTimeout must be zero or at least one second");
            }
            if (upgradeTimeout.isNegative() || upgradeTimeout.isZero()) {
                problems.add("upgradeTimeout must be positive");
            }
            if (closeLinger.isNegative()) {
                problems.add("closeLinger must not be negative");
            }
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                problems.add("startTimeout must be positive");
            }
            if (shutdownGrace.isNegative() || shutdownGrace.isZero()) {
                problems.add("shutdownGrace must be positive");
            }
            for (String origin : allowedOrigins) {
                if (origin.isBlank() || origin.endsWith("/")) {
                    problems.add("allowed origins are scheme://host[:port] without a trailing slash");
                    break;
                }
            }
            if (hub == null || !problems.isEmpty()) {
                throw new ConfigurationException("CareChatWebSocketServer", problems);
            }
            return new CareChatWebSocketServer(this, hub);
        }
    }
}

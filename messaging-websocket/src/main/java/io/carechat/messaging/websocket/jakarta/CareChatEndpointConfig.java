package io.carechat.messaging.websocket.jakarta;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.hub.Hub;
import jakarta.servlet.Servlet;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CareChat's WebSocket endpoint for any Jakarta WebSocket 2.1 container (Jetty 12, Tomcat 10.1 and
 * 11, and the servers built on them), so the chat socket lives on the application's own port.
 * Built for one {@link Hub}; every socket it accepts becomes a {@link CareChatEndpoint} handed to
 * that hub as a {@link io.carechat.messaging.hub.Connection}.
 *
 * <p>Two ways to register it, once, while the servlet context starts:
 * <ul>
 *   <li><b>{@link #upgradeServlet()}</b> mapped to {@link #path()} (recommended): the servlet
 *       answers refused upgrades with the statuses of the wire contract and {@code Connection:
 *       close} (503 while stopping, 429 past the {@linkplain Builder#upgradeLimiter upgrade
 *       budget}, 400 for any query string so that no token travels in a URL, 403 for an
 *       {@code Origin} not on the allowlist) and has the container upgrade the others;</li>
 *   <li><b>{@link #serverEndpointConfig()}</b> through {@code ServerContainer.addEndpoint}: the
 *       container itself refuses a foreign origin (403), but the Jakarta API has no other status,
 *       so an upgrade with a query string is accepted and then closed with 1008
 *       {@code query_refused}, and one while stopping with 1001 {@code server_shutdown}.</li>
 * </ul>
 *
 * <p>On every socket: text messages up to the {@linkplain Builder#maxMessagePayload payload limit}
 * (the container closes a larger one, fragments counted together, with 1009, and a binary message
 * with 1003); no extension (permessage-deflate is never negotiated) and no subprotocol; the bearer
 * token of the {@code Authorization} header, or a first {@code auth} frame, goes to
 * {@link Hub#open}; one address may hold only so many sockets that have not authenticated yet;
 * pings go out at half the {@linkplain Builder#connectionLostTimeout connection-lost timeout} and
 * a peer silent for longer is dropped. Close codes come from the hub.
 *
 * <p>Threading: nothing here blocks a container thread. Frames leave through the session's
 * asynchronous remote one at a time from a queue of each socket's own, whose size is the backlog
 * the hub bounds ({@code HubSettings.maxQueuedBytes}, then 4429 {@code slow_consumer}); closes and
 * pings, which may block in the Jakarta API, run on a daemon thread pool of this object. No token,
 * frame or message body is logged.
 *
 * <p>Thread-safe. Lifecycle: build, register with one servlet context, then {@link #stop(Duration)}
 * (or {@link #close()}) once before the container stops; it does not own the hub, which is closed
 * after it.
 */
public final class CareChatEndpointConfig implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CareChatEndpointConfig.class);

    private final EndpointRuntime runtime;
    private final Duration shutdownGrace;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private CareChatEndpointConfig(Builder b, Hub hub) {
        this.runtime = new EndpointRuntime(b, hub);
        this.shutdownGrace = b.shutdownGrace;
    }

    /**
     * Starts configuring an endpoint.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The path the endpoint serves, such as {@code /ws}.
     *
     * @return the path
     */
    public String path() {
        return runtime.path();
    }

    /**
     * The servlet to map to {@link #path()}: it refuses bad upgrades with their HTTP status and
     * upgrades the others through the context's {@code jakarta.websocket.server.ServerContainer}.
     * Each call returns a new servlet over the same sockets; register one.
     *
     * @return the servlet
     */
    public Servlet upgradeServlet() {
        return new UpgradeServlet(runtime);
    }

    /**
     * The configuration to pass to {@code ServerContainer.addEndpoint} when the servlet of
     * {@link #upgradeServlet()} is not used; see the class comment for what differs then.
     *
     * @return a new configuration at {@link #path()}
     */
    public ServerEndpointConfig serverEndpointConfig() {
        return runtime.newEndpointConfig();
    }

    /**
     * How many sockets are open.
     *
     * @return the count
     */
    public int openSockets() {
        return runtime.openSockets();
    }

    /**
     * Stops gracefully: new upgrades are refused (503 through the servlet), client frames no longer
     * reach the hub, every request the hub already had is answered, then each socket is closed with
     * 1001 {@code server_shutdown} after its queued frames. Returns within about {@code grace};
     * sockets still open then are left to the container, which closes them as it stops. Idempotent;
     * call it before stopping the container.
     *
     * @param grace how long to wait for answers and close handshakes
     */
    public void stop(Duration grace) {
        requireNonNull(grace, "grace");
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        runtime.stop(System.nanoTime() + grace.toNanos());
        LOG.info("CareChat Jakarta WebSocket endpoint stopped");
    }

    /** Stops with the builder's shutdown grace; see {@link #stop(Duration)}. */
    @Override
    public void close() {
        stop(shutdownGrace);
    }

    /**
     * Configures a {@link CareChatEndpointConfig}; {@link #build()} checks every value and reports
     * all problems together. Not thread-safe; use from one thread.
     */
    public static final class Builder {
        String path = "/ws";
        private @Nullable Hub hub;
        final List<String> allowedOrigins = new ArrayList<>();
        int maxMessagePayload = 65_536;
        Duration sendTimeout = Duration.ofSeconds(30);
        Duration connectionLostTimeout = Duration.ofSeconds(60);
        Duration shutdownGrace = Duration.ofSeconds(10);
        ToLongFunction<String> upgradeLimiter = address -> 0;
        int unauthenticatedSocketsPerAddress = 20;
        Consumer<Session> sessionCustomizer = session -> { };

        private Builder() {}

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
         * Sets the endpoint path within the servlet context; the default is {@code /ws}.
         *
         * @param value a path starting with {@code /}
         * @return this builder
         */
        public Builder path(String value) {
            this.path = requireNonNull(value, "path");
            return this;
        }

        /**
         * Allows an {@code Origin}, compared exactly (scheme, host and port, such as
         * {@code https://chat.hospital.example}). With none allowed, every upgrade that carries an
         * {@code Origin} (every browser's) is refused with 403; requests without one pass.
         *
         * @param origin the origin
         * @return this builder
         */
        public Builder allowOrigin(String origin) {
            allowedOrigins.add(requireNonNull(origin, "origin"));
            return this;
        }

        /**
         * Sets the largest text message, fragments counted together; the container closes a socket
         * that sends a larger one with 1009. The default is 65,536 bytes.
         *
         * @param bytes at least 1,024
         * @return this builder
         */
        public Builder maxMessagePayload(int bytes) {
            this.maxMessagePayload = bytes;
            return this;
        }

        /**
         * Sets how long the container may take to write one frame before the socket is dropped
         * (the Jakarta async send timeout); the default is 30 s. The hub's queue bound
         * ({@code HubSettings.maxQueuedBytes}) usually closes a slow reader first, with 4429.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder sendTimeout(Duration value) {
            this.sendTimeout = requireNonNull(value, "sendTimeout");
            return this;
        }

        /**
         * Sets after how long without hearing from a peer (a message or a pong) its socket is
         * dropped; pings go out at half this, and the container's own idle timeout is turned off
         * for the socket (a quiet, live client answers the pings). The default is 60 s; zero turns
         * pings and the check off, leaving dead peers to the container's idle timeout.
         *
         * @param value zero or at least one second
         * @return this builder
         */
        public Builder connectionLostTimeout(Duration value) {
            this.connectionLostTimeout = requireNonNull(value, "connectionLostTimeout");
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
         * Sets the budget of upgrades per client address: called with the address of every upgrade
         * request that reaches {@link #upgradeServlet()}, it answers 0 to let the upgrade go on, or
         * the seconds until the address may try again, which refuses the upgrade with HTTP 429 and
         * that {@code Retry-After}. It must be thread-safe and must not block. The default lets
         * every upgrade go on.
         *
         * @param value the budget, such as a token bucket per address
         * @return this builder
         */
        public Builder upgradeLimiter(ToLongFunction<String> value) {
            this.upgradeLimiter = requireNonNull(value, "upgradeLimiter");
            return this;
        }

        /**
         * Sets how many sockets one client address may hold open before they authenticate; a
         * socket beyond that is closed with 1008 {@code too_many_unauthenticated} as it opens. The
         * default is 20.
         *
         * @param value the cap, at least 1
         * @return this builder
         */
        public Builder unauthenticatedSocketsPerAddress(int value) {
            this.unauthenticatedSocketsPerAddress = value;
            return this;
        }

        /**
         * Sets what to do to each session as it opens, after CareChat has set its limits through
         * the Jakarta API: the place for a container's own settings that the API lacks. On Jetty,
         * which splits a large frame into fragments as it arrives and so checks the message limit
         * only once that much payload has come, have it check each frame's announced length
         * instead: {@code s -> ((JakartaWebSocketSession) s).getCoreSession().setAutoFragment(false)}
         * (see the module's README). It runs on a container thread and must not block. The default
         * does nothing.
         *
         * @param value the customizer
         * @return this builder
         */
        public Builder sessionCustomizer(Consumer<Session> value) {
            this.sessionCustomizer = requireNonNull(value, "sessionCustomizer");
            return this;
        }

        /**
         * Checks the configuration and builds the endpoint; its ping timer starts now.
         *
         * @return the endpoint configuration
         * @throws ConfigurationException listing every problem found
         */
        public CareChatEndpointConfig build() {
            List<String> problems = new ArrayList<>();
            if (hub == null) {
                problems.add("hub is required");
            }
            if (!path.startsWith("/") || path.contains("?") || path.contains("#") || path.contains("{")) {
                problems.add("path must start with / and carry no query, fragment or template");
            }
            if (maxMessagePayload < 1024) {
                problems.add("maxMessagePayload must be at least 1024, was " + maxMessagePayload);
            }
            if (unauthenticatedSocketsPerAddress < 1) {
                problems.add("unauthenticatedSocketsPerAddress must be at least 1, was "
                        + unauthenticatedSocketsPerAddress);
            }
            if (sendTimeout.isNegative() || sendTimeout.isZero()) {
                problems.add("sendTimeout must be positive");
            }
            if (connectionLostTimeout.isNegative() || (!connectionLostTimeout.isZero()
                    && connectionLostTimeout.toSeconds() < 1)) {
                problems.add("connectionLostTimeout must be zero or at least one second");
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
                throw new ConfigurationException("CareChatEndpointConfig", problems);
            }
            return new CareChatEndpointConfig(this, hub);
        }
    }
}

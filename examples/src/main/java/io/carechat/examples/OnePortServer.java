package io.carechat.examples;

import io.carechat.examples.http.AddressGate;
import io.carechat.examples.http.HeaderCountLimit;
import io.carechat.examples.http.HeaderReadDeadline;
import io.carechat.examples.http.JsonErrorHandler;
import io.carechat.examples.http.Router;
import io.carechat.examples.http.SecurityHeaders;
import io.carechat.examples.http.StaticFiles;
import io.carechat.messaging.websocket.jakarta.CareChatEndpointConfig;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.net.BindException;
import java.util.EnumSet;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.common.JakartaWebSocketSession;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * The demo server's one port, on Jetty 12: the HTTP API ({@code /api/}, {@code /health},
 * {@code /.well-known/}), the web UI, and CareChat's Jakarta WebSocket endpoint at {@code /ws},
 * in one ee10 servlet context, over TLS when a keystore is configured (HTTPS and WSS alike).
 *
 * <p>What it keeps for every HTTP request: the per-address cap on requests in progress
 * ({@link AddressGate}, not in front of the socket, which has its own upgrade budget), the limit
 * on how long a request's line and headers may take ({@link HeaderReadDeadline}), the security
 * headers, and the contract's JSON error body on errors Jetty itself produces
 * ({@link JsonErrorHandler}). Paths may hold percent-encoded {@code /} and {@code %} inside user
 * ids: the router matches the raw path.
 *
 * <p>Lifecycle: {@link #start} binds and starts; {@link #close()} stops Jetty (stop the socket
 * endpoint first, so its sockets close with 1001). Thread-safe.
 */
final class OnePortServer implements AutoCloseable {
    /** Threads serving HTTP requests; one address may hold at most {@code CARECHAT_HTTP_REQUESTS_PER_ADDRESS} of them. */
    private static final int HTTP_THREADS = 32;
    /** Jetty's own threads besides those: acceptor, selectors and the scheduler's spares. */
    private static final int JETTY_THREADS = 8;
    /**
     * Largest request line and headers; larger ones get 431 (414 for the URI). Roomy enough for a
     * long bearer token from a hospital's identity provider.
     */
    private static final int MAX_REQUEST_HEADER_BYTES = 128 * 1024;
    /** Most header fields one request may carry; more get 431. */
    private static final int MAX_REQUEST_HEADERS = 200;

    private final Server server;
    private final ServerConnector connector;

    private OnePortServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /**
     * Starts the server.
     *
     * @param config the configuration: bind address, HTTP port, read timeout
     * @param ssl the TLS context, or null for plain HTTP
     * @param securityHeaders the headers every answer carries
     * @param api the HTTP API
     * @param gate the per-address cap on requests in progress
     * @param socket the WebSocket endpoint to mount at its path
     * @return the running server
     * @throws IOException when the port cannot be bound ({@link BindException} as the cause when it is in use)
     */
    static OnePortServer start(ServerConfig config, @Nullable SSLContext ssl, SecurityHeaders securityHeaders,
            Router api, AddressGate gate, CareChatEndpointConfig socket) throws IOException {
        // All threads started up front, as before Jetty: the server's thread count stays level.
        QueuedThreadPool threads = new QueuedThreadPool(HTTP_THREADS + JETTY_THREADS, HTTP_THREADS + JETTY_THREADS);
        threads.setName("carechat-http");
        threads.setDaemon(true);
        Server server = new Server(threads);
        server.setStopTimeout(1_000);
        ServerConnector connector = connector(server, config, ssl);
        server.addConnector(connector);
        JsonErrorHandler errors = new JsonErrorHandler(securityHeaders);
        server.setErrorHandler(errors);
        HeaderReadDeadline deadline = new HeaderReadDeadline(context(securityHeaders, api, gate, socket, errors),
                config.httpReadTimeout(), connector.getScheduler());
        connector.addEventListener(deadline);
        server.setHandler(deadline);
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly(server);
            throw e;
        } catch (Exception e) {
            stopQuietly(server);
            throw new IOException("the HTTP server did not start", e);
        }
        return new OnePortServer(server, connector);
    }

    private static ServerConnector connector(Server server, ServerConfig config, @Nullable SSLContext ssl) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
        http.addCustomizer(new HeaderCountLimit(MAX_REQUEST_HEADERS));
        // User ids in paths may hold an escaped '/' or '%' (https%3A%2F%2Fidp%2Fusers%2F42).
        http.setUriCompliance(UriCompliance.DEFAULT.with("carechat-user-ids",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        HttpConnectionFactory plain = new HttpConnectionFactory(http);
        ServerConnector connector;
        if (ssl == null) {
            connector = new ServerConnector(server, plain);
        } else {
            // The demo's certificate names whatever host the operator chose; the SNI check is the client's job.
            http.addCustomizer(new SecureRequestCustomizer(false));
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setSslContext(ssl);
            connector = new ServerConnector(server, new SslConnectionFactory(tls, plain.getProtocol()), plain);
        }
        connector.setHost(config.bindAddress());
        connector.setPort(config.httpPort());
        connector.setAcceptQueueSize(128);
        // A body that stops arriving, or a connection left idle between requests, is closed after
        // the read timeout; sockets set their own timeout once upgraded.
        connector.setIdleTimeout(config.httpReadTimeout().toMillis());
        return connector;
    }

    private static ServletContextHandler context(SecurityHeaders securityHeaders, Router api, AddressGate gate,
            CareChatEndpointConfig socket, JsonErrorHandler errors) {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        context.setErrorHandler(errors);
        ServletHolder apiServlet = new ServletHolder("api", api);
        context.addServlet(apiServlet, "/api/*");
        context.getServletHandler().addServletWithMapping(apiServlet, "/health");
        context.getServletHandler().addServletWithMapping(apiServlet, "/health/*");
        context.getServletHandler().addServletWithMapping(apiServlet, "/metrics");
        context.getServletHandler().addServletWithMapping(apiServlet, "/.well-known/*");
        context.addServlet(new ServletHolder("ui", new StaticFiles("/web", securityHeaders)), "/");
        FilterHolder gateFilter = new FilterHolder(gate);
        gateFilter.setName("address-gate");
        context.getServletHandler().addFilter(gateFilter);
        context.getServletHandler().addFilterMapping(filterMapping("address-gate", "api", "ui"));
        context.addServlet(new ServletHolder("socket", socket.upgradeServlet()), socket.path());
        JakartaWebSocketServletContainerInitializer.configure(context, null);
        return context;
    }

    private static org.eclipse.jetty.ee10.servlet.FilterMapping filterMapping(String filter, String... servlets) {
        org.eclipse.jetty.ee10.servlet.FilterMapping mapping = new org.eclipse.jetty.ee10.servlet.FilterMapping();
        mapping.setFilterName(filter);
        mapping.setServletNames(servlets);
        mapping.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST));
        return mapping;
    }

    /**
     * Jetty's setting the Jakarta API lacks: check each frame's announced length against the
     * limit as its header arrives (1009 at once) instead of splitting it into fragments.
     */
    static void checkFrameLengthsOnArrival(jakarta.websocket.Session session) {
        var core = ((JakartaWebSocketSession) session).getCoreSession();
        core.setAutoFragment(false);
        core.setMaxFrameSize(session.getMaxTextMessageBufferSize());
    }

    /** @return the bound port */
    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            // Stopping is best effort; the process is on its way out.
            org.slf4j.LoggerFactory.getLogger(OnePortServer.class).warn("the HTTP server did not stop cleanly: {}",
                    e.getClass().getName());
        }
    }
}

package io.carechat.messaging.websocket.jakarta;

import jakarta.websocket.Session;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.common.JakartaWebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.jspecify.annotations.Nullable;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A Jetty 12 (ee10) server on 127.0.0.1 and an ephemeral port with CareChat's Jakarta endpoint
 * registered the way a vendor would: the upgrade servlet at the endpoint's path in a servlet
 * context that has Jetty's Jakarta WebSocket container (or, for the other route, the endpoint's
 * {@code ServerEndpointConfig} added to that container). One test starts one and closes it.
 */
final class JettyHost implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    private JettyHost(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    static JettyHost start(CareChatEndpointConfig endpoint) throws Exception {
        return start(endpoint, true, null);
    }

    /** Starts Jetty with the upgrade servlet and this default session idle timeout of the container. */
    static JettyHost start(CareChatEndpointConfig endpoint, Duration containerIdleTimeout) throws Exception {
        return start(endpoint, true, containerIdleTimeout);
    }

    /**
     * Starts Jetty with the endpoint registered through {@code ServerContainer.addEndpoint} alone,
     * without CareChat's upgrade servlet.
     */
    static JettyHost startWithAddEndpoint(CareChatEndpointConfig endpoint) throws Exception {
        return start(endpoint, false, null);
    }

    private static JettyHost start(CareChatEndpointConfig endpoint, boolean servlet, @Nullable Duration idleTimeout)
            throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        if (servlet) {
            context.addServlet(new ServletHolder("carechat", endpoint.upgradeServlet()), endpoint.path());
            JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) -> {
                if (idleTimeout != null) {
                    container.setDefaultMaxSessionIdleTimeout(idleTimeout.toMillis());
                }
            });
        } else {
            JakartaWebSocketServletContainerInitializer.configure(context,
                    (servletContext, container) -> container.addEndpoint(endpoint.serverEndpointConfig()));
        }
        server.setHandler(context);
        server.start();
        return new JettyHost(server, connector);
    }

    /**
     * Jetty's setting the Jakarta API lacks: check each frame's announced length against the
     * limit as its header arrives (1009 at once) instead of splitting it into fragments.
     */
    static void checkFrameLengthsOnArrival(Session s) {
        // --- README: Jetty ---
        CoreSession core = ((JakartaWebSocketSession) s).getCoreSession();
        core.setAutoFragment(false);
        core.setMaxFrameSize(s.getMaxTextMessageBufferSize());
        // --- end README ---
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        }
    }
}

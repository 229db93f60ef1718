package io.carechat.messaging.websocket.jakarta;

import static java.util.Objects.requireNonNull;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servlet at CareChat's WebSocket path: it checks each upgrade request and answers a refusal
 * with its HTTP status and {@code Connection: close} (503 while stopping, 429 past the upgrade
 * budget, 400 for a query string or a request that is no upgrade, 403 for a foreign origin), then
 * has the container upgrade the rest through {@link ServerContainer#upgradeHttpToWebSocket}. Other
 * paths never reach it, so the container answers them (404).
 *
 * <p>Not API. Thread-safe. Lifecycle: the container's, from {@code init} to {@code destroy}.
 */
final class UpgradeServlet implements Servlet {
    private static final Logger LOG = LoggerFactory.getLogger(UpgradeServlet.class);

    private final EndpointRuntime runtime;
    private @Nullable ServletConfig config;

    UpgradeServlet(EndpointRuntime runtime) {
        this.runtime = requireNonNull(runtime, "runtime");
    }

    @Override
    public void init(ServletConfig value) {
        this.config = value;
    }

    @Override
    public @Nullable ServletConfig getServletConfig() {
        return config;
    }

    @Override
    public void service(ServletRequest req, ServletResponse res) throws ServletException, IOException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            throw new ServletException("CareChat's WebSocket path serves HTTP only");
        }
        boolean upgrade = "GET".equals(request.getMethod())
                && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
        EndpointRuntime.Refusal refusal = runtime.check(request.getQueryString(), request.getHeader("Origin"),
                request.getRemoteAddr(), upgrade);
        if (refusal != null) {
            refuse(response, refusal);
            return;
        }
        if (!(request.getServletContext().getAttribute(ServerContainer.class.getName())
                instanceof ServerContainer container)) {
            LOG.warn("no Jakarta WebSocket container in this servlet context; CareChat cannot upgrade");
            response.setHeader("Connection", "close");
            response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            return;
        }
        jakarta.websocket.server.ServerEndpointConfig endpointConfig = runtime.newEndpointConfig();
        endpointConfig.getUserProperties().put(EndpointRuntime.ADDRESS, request.getRemoteAddr());
        try {
            container.upgradeHttpToWebSocket(request, response, endpointConfig, Map.of());
        } catch (DeploymentException e) {
            throw new ServletException("the container refused CareChat's endpoint", e);
        }
    }

    private static void refuse(HttpServletResponse response, EndpointRuntime.Refusal refusal) throws IOException {
        LOG.debug("upgrade refused with {} ({})", refusal.status(), refusal.reason());
        response.setStatus(refusal.status());
        response.setHeader("Connection", "close");
        if (refusal.retryAfterSeconds() > 0) {
            response.setHeader("Retry-After", Long.toString(refusal.retryAfterSeconds()));
        }
        response.setContentLength(0);
        response.flushBuffer();
    }

    @Override
    public String getServletInfo() {
        return "CareChat WebSocket upgrade";
    }

    @Override
    public void destroy() {
        // the endpoint configuration's stop ends the sockets
    }
}

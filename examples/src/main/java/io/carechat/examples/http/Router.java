package io.carechat.examples.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.error.MessagingException;
import io.carechat.messaging.logging.LogContext;
import io.carechat.messaging.logging.TraceParent;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes requests to handlers by method and path, and keeps the rules every endpoint shares:
 * security headers on every answer, CORS only for configured origins, tokens refused in the query
 * string, errors as {@code {"error":{"code":...,"message":...}}}, {@code Retry-After} on every
 * 429, and never a stack trace to a client.
 *
 * <p>Unauthenticated requests draw on a per-address budget: every request to a route added with
 * {@link #anonymousRoute} (login, registration, refresh) takes one before its handler runs, and any
 * other request that ends 401 takes one afterwards. When the address's budget is spent, such a
 * request gets 429 {@code rate_limited} instead, with {@code Retry-After}; a request with a valid
 * token never draws on it.
 *
 * <p>A servlet: mapped to {@code /api/*} and the other API paths of the server's one servlet
 * context. Paths are matched on the raw request URI, so an escaped {@code /} inside a user id stays
 * inside its segment. Thread-safe once built; routes are added before the server starts.
 */
public final class Router extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(Router.class);
    /** The response header that carries the request's id, as its log lines do. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Set<String> TOKEN_PARAMS = Set.of("token", "access_token", "accesstoken", "refresh_token",
            "refreshtoken", "jwt", "bearer", "authorization");

    private final transient ObjectMapper json;
    private final int maxJsonBytes;
    private final List<String> corsOrigins;
    private final transient SecurityHeaders securityHeaders;
    private final transient AddressRateLimiter unauthenticated;
    private final transient List<Route> routes = new ArrayList<>();

    private record Route(String method, String template, Pattern path, ApiHandler handler, boolean anonymous) {}

    /**
     * A route as added: its method and path template, such as {@code GET /api/conversations/{}/messages}.
     *
     * @param method the HTTP method
     * @param template the path template given to {@link #route} or {@link #anonymousRoute}
     */
    public record RouteTemplate(String method, String template) {}

    /**
     * Creates a router.
     *
     * @param json the mapper for bodies
     * @param maxJsonBytes the largest JSON body accepted
     * @param corsOrigins origins allowed to call from other sites; empty for no CORS
     * @param securityHeaders the headers every answer carries
     * @param unauthenticated the per-address budget of unauthenticated requests
     */
    public Router(ObjectMapper json, int maxJsonBytes, List<String> corsOrigins, SecurityHeaders securityHeaders,
            AddressRateLimiter unauthenticated) {
        this.json = json;
        this.securityHeaders = securityHeaders;
        this.unauthenticated = unauthenticated;
        this.maxJsonBytes = maxJsonBytes;
        this.corsOrigins = List.copyOf(corsOrigins);
    }

    /**
     * Adds a route. {@code {}} in the path template matches one path segment of id characters;
     * {@code {user}} matches one percent-encoded path segment holding a user id (up to 255
     * characters, such as {@code auth0%7C5f7c...} or {@code https%3A%2F%2Fidp%2Fusers%2F42}), handed
     * to the handler decoded.
     *
     * @param method the HTTP method
     * @param template the path, such as {@code /api/conversations/{}/messages}
     * @param handler the handler
     * @return this router
     */
    public Router route(String method, String template, ApiHandler handler) {
        return add(method, template, handler, false);
    }

    /**
     * Adds a route anyone may call without a token, such as login; each call draws on the
     * caller's address's budget of unauthenticated requests before the handler runs.
     *
     * @param method the HTTP method
     * @param template the path, as for {@link #route}
     * @param handler the handler
     * @return this router
     */
    public Router anonymousRoute(String method, String template, ApiHandler handler) {
        return add(method, template, handler, true);
    }

    private Router add(String method, String template, ApiHandler handler, boolean anonymous) {
        String regex = Pattern.quote(template).replace("{}", "\\E([A-Za-z0-9_-]{1,64})\\Q")
                .replace("{user}", "\\E([^/]{1,765})\\Q");
        routes.add(new Route(method, template, Pattern.compile(regex), handler, anonymous));
        return this;
    }

    /**
     * Every route added so far, in the order added: what the router serves, for checking it
     * against the API's published description.
     *
     * @return an unmodifiable copy of the method and template of each route
     */
    public List<RouteTemplate> routeTemplates() {
        return routes.stream().map(r -> new RouteTemplate(r.method(), r.template())).toList();
    }

    /**
     * Serves one request with its ids in the log MDC: a new request id (also answered in
     * {@code X-Request-Id}), the trace id of a valid W3C {@code traceparent}, and the user's id once
     * the token is verified; the MDC is put back as it was afterwards.
     */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String requestId = UUID.randomUUID().toString();
        response.setHeader(REQUEST_ID_HEADER, requestId);
        LogContext.Scope scope = LogContext.request(requestId, null,
                TraceParent.parse(request.getHeader(TraceParent.HEADER)).map(TraceParent::traceId).orElse(null));
        try {
            serve(request, response);
        } finally {
            scope.close();
        }
    }

    private void serve(HttpServletRequest request, HttpServletResponse response) throws IOException {
        securityHeaders.apply(response);
        applyCors(request, response);
        if ("OPTIONS".equals(request.getMethod())) {
            response.setStatus(204);
            return;
        }
        ApiResponse answer;
        try {
            answer = dispatch(request, response);
        } catch (ApiException e) {
            answer = error(e.code(), e.getMessage());
            retryAfter(response, e.retryAfterSeconds());
        } catch (MessagingException e) {
            answer = error(e.code(), e.getMessage());
        } catch (Exception e) {
            String incident = UUID.randomUUID().toString();
            log.error("request {} {} failed, incident {}", request.getMethod(), request.getRequestURI(), incident, e);
            answer = error(ErrorCode.INTERNAL, "internal error, incident " + incident);
        }
        if (answer.status() == 429 && !response.containsHeader("Retry-After")) {
            retryAfter(response, 1);
        }
        log.debug("{} {} answered {}", request.getMethod(), request.getRequestURI(), answer.status());
        write(response, answer);
    }

    /** Sets {@code Retry-After} to the seconds given, when there are any. */
    private static void retryAfter(HttpServletResponse response, long seconds) {
        if (seconds > 0) {
            response.setHeader("Retry-After", Long.toString(seconds));
        }
    }

    /** A path segment with its %XX escapes decoded as UTF-8 ({@code +} stays itself, as in any path). */
    private static String percentDecoded(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "the path holds a malformed %-escape");
        }
    }

    private ApiResponse dispatch(HttpServletRequest servletRequest, HttpServletResponse servletResponse)
            throws Exception {
        String method = servletRequest.getMethod();
        String path = servletRequest.getRequestURI();
        boolean pathKnown = false;
        for (Route route : routes) {
            Matcher m = route.path().matcher(path);
            if (!m.matches()) {
                continue;
            }
            pathKnown = true;
            if (!route.method().equals(method)) {
                continue;
            }
            List<String> params = new ArrayList<>();
            for (int i = 1; i <= m.groupCount(); i++) {
                params.add(percentDecoded(m.group(i)));
            }
            ApiRequest request = new ApiRequest(servletRequest, servletResponse, params, json, maxJsonBytes);
            refuseTokenInQuery(request);
            if (route.anonymous()) {
                chargeUnauthenticated(request);
                return route.handler().handle(request);
            }
            return handleChargingRefusals(route, request);
        }
        if (pathKnown) {
            servletResponse.setHeader("Allow", allowed(path));
            return new ApiResponse(405, Map.of("error", Map.of("code", "bad_request",
                    "message", "method " + method + " is not allowed here")), null, null);
        }
        throw new ApiException(ErrorCode.NOT_FOUND, "no such endpoint");
    }

    /** Runs a route that needs a token; a 401 draws on the address's budget, and past it becomes 429. */
    private ApiResponse handleChargingRefusals(Route route, ApiRequest request) throws Exception {
        try {
            return route.handler().handle(request);
        } catch (ApiException e) {
            if (e.code() == ErrorCode.UNAUTHENTICATED) {
                chargeUnauthenticated(request);
            }
            throw e;
        } catch (MessagingException e) {
            if (e.code() == ErrorCode.UNAUTHENTICATED) {
                chargeUnauthenticated(request);
            }
            throw e;
        }
    }

    private void chargeUnauthenticated(ApiRequest request) {
        long retryAfter = unauthenticated.acquire(request.clientAddress());
        if (retryAfter > 0) {
            throw new ApiException(ErrorCode.RATE_LIMITED,
                    "too many unauthenticated requests from this address; retry later", retryAfter);
        }
    }

    private static void refuseTokenInQuery(ApiRequest request) {
        for (String name : request.queryNames()) {
            if (TOKEN_PARAMS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new ApiException(ErrorCode.BAD_REQUEST,
                        "tokens are not accepted in the URL; send them in the Authorization header");
            }
        }
    }

    private String allowed(String path) {
        return String.join(", ", routes.stream().filter(r -> r.path().matcher(path).matches())
                .map(Route::method).distinct().toList());
    }

    private void applyCors(HttpServletRequest request, HttpServletResponse response) {
        String origin = request.getHeader("Origin");
        if (origin == null || !corsOrigins.contains(origin)) {
            return;
        }
        response.setHeader("Access-Control-Allow-Origin", origin);
        response.setHeader("Vary", "Origin");
        response.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
        response.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Filename, traceparent");
        response.setHeader("Access-Control-Max-Age", "600");
    }

    private static ApiResponse error(ErrorCode code, String message) {
        return new ApiResponse(code.httpStatus(),
                Map.of("error", Map.of("code", code.wireName(), "message", message)), null, null);
    }

    private void write(HttpServletResponse out, ApiResponse response) throws IOException {
        byte[] body;
        String type;
        if (response.bytes() != null) {
            body = response.bytes();
            type = response.contentType();
        } else if (response.json() != null) {
            body = json.writeValueAsBytes(response.json());
            type = "application/json; charset=utf-8";
        } else {
            out.setStatus(response.status());
            return;
        }
        out.setStatus(response.status());
        out.setHeader("Content-Type", type);
        if (response.status() >= 300 || !out.containsHeader("Cache-Control")) {
            out.setHeader("Cache-Control", "no-store");
        }
        if (response.downloadName() != null) {
            out.setHeader("Content-Disposition", ContentDisposition.attachment(response.downloadName()));
            out.setHeader("Content-Security-Policy", ContentDisposition.DOWNLOAD_POLICY);
        }
        ResponseBodies.write(out, body);
    }
}

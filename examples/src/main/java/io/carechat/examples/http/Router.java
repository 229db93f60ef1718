package io.carechat.examples.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.error.MessagingException;
import java.io.IOException;
import java.io.OutputStream;
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
 * token never draws on it. Thread-safe once built; routes are added before the server starts.
 */
public final class Router implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(Router.class);
    private static final Set<String> TOKEN_PARAMS = Set.of("token", "access_token", "accesstoken", "refresh_token",
            "refreshtoken", "jwt", "bearer", "authorization");

    private final ObjectMapper json;
    private final int maxJsonBytes;
    private final List<String> corsOrigins;
    private final SecurityHeaders securityHeaders;
    private final AddressRateLimiter unauthenticated;
    private final List<Route> routes = new ArrayList<>();

    private record Route(String method, Pattern path, ApiHandler handler, boolean anonymous) {}

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
        routes.add(new Route(method, Pattern.compile(regex), handler, anonymous));
        return this;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Headers out = exchange.getResponseHeaders();
            securityHeaders.apply(out);
            applyCors(exchange);
            if ("OPTIONS".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            ApiResponse response;
            try {
                response = dispatch(exchange);
            } catch (ApiException e) {
                response = error(e.code(), e.getMessage());
                retryAfter(exchange, e.retryAfterSeconds());
            } catch (MessagingException e) {
                response = error(e.code(), e.getMessage());
            } catch (RuntimeException e) {
                String incident = UUID.randomUUID().toString();
                log.error("request {} {} failed, incident {}", exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(), incident, e);
                response = error(ErrorCode.INTERNAL, "internal error, incident " + incident);
            } catch (Exception e) {
                String incident = UUID.randomUUID().toString();
                log.error("request {} {} failed, incident {}", exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(), incident, e);
                response = error(ErrorCode.INTERNAL, "internal error, incident " + incident);
            }
            if (response.status() == 429 && !out.containsKey("Retry-After")) {
                retryAfter(exchange, 1);
            }
            write(exchange, response);
        }
    }

    /** Sets {@code Retry-After} to the seconds given, when there are any. */
    private static void retryAfter(HttpExchange exchange, long seconds) {
        if (seconds > 0) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
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

    private ApiResponse dispatch(HttpExchange exchange) throws Exception {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
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
            ApiRequest request = new ApiRequest(exchange, params, json, maxJsonBytes);
            refuseTokenInQuery(request);
            if (route.anonymous()) {
                chargeUnauthenticated(request);
                return route.handler().handle(request);
            }
            return handleChargingRefusals(route, request);
        }
        if (pathKnown) {
            exchange.getResponseHeaders().set("Allow", allowed(path));
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

    private void applyCors(HttpExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin == null || !corsOrigins.contains(origin)) {
            return;
        }
        Headers out = exchange.getResponseHeaders();
        out.set("Access-Control-Allow-Origin", origin);
        out.set("Vary", "Origin");
        out.set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
        out.set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Filename");
        out.set("Access-Control-Max-Age", "600");
    }

    private static ApiResponse error(ErrorCode code, String message) {
        return new ApiResponse(code.httpStatus(),
                Map.of("error", Map.of("code", code.wireName(), "message", message)), null, null);
    }

    private void write(HttpExchange exchange, ApiResponse response) throws IOException {
        byte[] body;
        String type;
        if (response.bytes() != null) {
            body = response.bytes();
            type = response.contentType();
        } else if (response.json() != null) {
            body = json.writeValueAsBytes(response.json());
            type = "application/json; charset=utf-8";
        } else {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (response.downloadName() != null) {
            exchange.getResponseHeaders().set("Content-Disposition", ContentDisposition.attachment(response.downloadName()));
            exchange.getResponseHeaders().set("Content-Security-Policy", ContentDisposition.DOWNLOAD_POLICY);
        }
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }
}

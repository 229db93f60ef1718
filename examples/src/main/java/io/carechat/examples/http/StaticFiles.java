package io.carechat.examples.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the web UI's files from the classpath, with the security headers and no directory
 * listing. Only the web's own kinds of file are served (HTML, scripts, styles, images, JSON): any
 * other file that happens to lie in the folder is "not found". Files are read once and cached.
 * Thread-safe.
 */
public final class StaticFiles implements HttpHandler {
    private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\\.[a-z0-9]+");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json; charset=utf-8");

    private final String root;
    private final SecurityHeaders securityHeaders;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /**
     * Creates the handler.
     *
     * @param classpathRoot the resource folder, such as {@code /web}
     * @param securityHeaders the headers every answer carries
     */
    public StaticFiles(String classpathRoot, SecurityHeaders securityHeaders) {
        this.root = classpathRoot;
        this.securityHeaders = securityHeaders;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            securityHeaders.apply(exchange.getResponseHeaders());
            String method = exchange.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if ("/".equals(path)) {
                path = "/index.html";
            }
            String extension = path.substring(path.lastIndexOf('.') + 1);
            byte[] body = SAFE_PATH.matcher(path).matches() && TYPES.containsKey(extension) ? load(path) : null;
            if (body == null) {
                byte[] text = "not found".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(404, text.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(text);
                }
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", TYPES.get(extension));
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            if ("HEAD".equals(method)) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    private byte[] load(String path) throws IOException {
        byte[] cached = cache.get(path);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = StaticFiles.class.getResourceAsStream(root + path)) {
            if (in == null) {
                return null;
            }
            byte[] bytes = in.readAllBytes();
            cache.put(path, bytes);
            return bytes;
        }
    }
}

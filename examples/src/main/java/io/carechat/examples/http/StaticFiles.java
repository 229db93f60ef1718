package io.carechat.examples.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the web UI's files from the classpath, with the security headers and no directory
 * listing. Only the web's own kinds of file are served (HTML, scripts, styles, images, JSON): any
 * other file that happens to lie in the folder is "not found". Files are read once and cached.
 * A servlet, the default one ({@code /}) of the server's context. Thread-safe.
 */
public final class StaticFiles extends HttpServlet {
    private static final long serialVersionUID = 1L;
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
    private final transient SecurityHeaders securityHeaders;
    private final transient Map<String, byte[]> cache = new ConcurrentHashMap<>();

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
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        securityHeaders.apply(response);
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            response.setHeader("Allow", "GET, HEAD");
            response.setStatus(405);
            return;
        }
        String path = request.getRequestURI();
        if ("/".equals(path)) {
            path = "/index.html";
        }
        String extension = path.substring(path.lastIndexOf('.') + 1);
        byte[] body = SAFE_PATH.matcher(path).matches() && TYPES.containsKey(extension) ? load(path) : null;
        if (body == null && request.getRequestURI().startsWith("/api/")) {
            // A path that named the API before Jetty resolved its dot segments (/api/../x): the API's 404.
            notFoundInApi(response);
            return;
        }
        if (body == null) {
            byte[] text = "not found".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            response.setStatus(404);
            response.setContentType("text/plain; charset=utf-8");
            ResponseBodies.write(response, text);
            return;
        }
        response.setStatus(200);
        response.setContentType(TYPES.get(extension));
        response.setHeader("Cache-Control", "no-cache");
        if ("HEAD".equals(method)) {
            response.setContentLength(body.length);
            return;
        }
        ResponseBodies.write(response, body);
    }

    private static void notFoundInApi(HttpServletResponse response) throws IOException {
        byte[] json = "{\"error\":{\"code\":\"not_found\",\"message\":\"no such endpoint\"}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        response.setStatus(404);
        response.setContentType("application/json; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        ResponseBodies.write(response, json);
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

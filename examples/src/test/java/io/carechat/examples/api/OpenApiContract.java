package io.carechat.examples.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The demo server's OpenAPI document as tests use it: its operations, and checks of a request and
 * its answer against them with networknt's JSON Schema validator (OpenAPI 3.1 schemas are JSON
 * Schema 2020-12). Thread-safe: the document is read once and compiled schemas are cached.
 */
public final class OpenApiContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOCATION = "classpath:" + OpenApiDocument.RESOURCE.substring(1);
    private static final OpenApiContract INSTANCE = new OpenApiContract();

    /**
     * One documented operation.
     *
     * @param method the HTTP method, upper case
     * @param template the path template, such as {@code /api/conversations/{conversationId}/messages}
     * @param node the operation object
     */
    public record Operation(String method, String template, JsonNode node) {
        /**
         * The template with every parameter written {@code {}}, as the router writes an id segment.
         *
         * @return the normalised template
         */
        public String shape() {
            return normalised(template);
        }

        boolean matches(String path) {
            return Pattern.compile(Pattern.quote(template).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q")).matcher(path)
                    .matches();
        }

        int literalChars() {
            return template.replaceAll("\\{[^}/]+}", "").length();
        }
    }

    private final JsonNode document;
    private final List<Operation> operations;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private OpenApiContract() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream(OpenApiDocument.RESOURCE)) {
            document = JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Operation> found = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                found.add(new Operation(op.getKey().toUpperCase(Locale.ROOT), path.getKey(), op.getValue()));
            }
        }
        operations = List.copyOf(found);
    }

    /**
     * The contract, read from the class path.
     *
     * @return the shared instance
     */
    public static OpenApiContract get() {
        return INSTANCE;
    }

    /**
     * Every documented operation.
     *
     * @return the operations, in document order
     */
    public List<Operation> operations() {
        return operations;
    }

    /**
     * A path template with every parameter written {@code {}}.
     *
     * @param template a template such as {@code /api/admin/users/{user}/roles}
     * @return the template with parameters as {@code {}}
     */
    public static String normalised(String template) {
        return template.replaceAll("\\{[^}/]*}", "{}");
    }

    /**
     * Checks one exchange with the server against the document. The request body is checked when
     * the server took it (a 2xx answer) and it is JSON; the answer's body when it is JSON, against
     * the schema of its status or the {@code default} one. An undocumented route that answered 2xx is
     * a violation; an unknown path's error answer must still be the error body.
     *
     * @param method the request's method
     * @param pathAndQuery the request's path, with any query string
     * @param requestType the request's {@code Content-Type}, or null
     * @param requestBody the request's body as text, or null
     * @param status the answer's status
     * @param responseType the answer's {@code Content-Type}, or empty
     * @param responseBody the answer's body as text, or null
     * @return the violations, each naming the route; empty when the exchange keeps the contract
     */
    public List<String> violations(String method, String pathAndQuery, String requestType, String requestBody,
            int status, String responseType, String responseBody) {
        String path = pathAndQuery.split("\\?", 2)[0];
        Optional<Operation> operation = operations.stream().filter(o -> o.method().equals(method) && o.matches(path))
                .max((a, b) -> Integer.compare(a.literalChars(), b.literalChars()));
        String route = method + " " + operation.map(Operation::template).orElse(path);
        List<String> out = new ArrayList<>();
        if (operation.isEmpty()) {
            if (status < 400 && path.startsWith("/api/")) {
                out.add(route + " answered " + status + " but is not in the OpenAPI document");
            } else if (status >= 400 && isJson(responseType)) {
                check(route + " answer " + status, "/components/schemas/Error", responseBody, out);
            }
            return out;
        }
        String pointer = "/paths/" + escape(operation.get().template()) + "/" + method.toLowerCase(Locale.ROOT);
        if (status >= 200 && status < 300 && requestBody != null && !requestBody.isEmpty() && isJson(requestType)) {
            if (operation.get().node().path("requestBody").path("content").has("application/json")) {
                check(route + " request", pointer + "/requestBody/content/application~1json/schema", requestBody, out);
            } else {
                out.add(route + " took a JSON body, but the OpenAPI document declares none");
            }
        }
        JsonNode responses = operation.get().node().path("responses");
        String code = responses.has(Integer.toString(status)) ? Integer.toString(status) : "default";
        if (!responses.has(code)) {
            out.add(route + " answered " + status + ", which the OpenAPI document does not list");
            return out;
        }
        JsonNode content = responses.path(code).path("content");
        if (isJson(responseType) && responseBody != null && !responseBody.isEmpty()) {
            if (content.has("application/json")) {
                check(route + " answer " + status,
                        pointer + "/responses/" + code + "/content/application~1json/schema", responseBody, out);
            } else {
                out.add(route + " answered " + status + " with JSON, but the OpenAPI document declares no JSON body");
            }
        }
        return out;
    }

    private void check(String what, String pointer, String body, List<String> out) {
        Schema schema = schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(LOCATION + "#"
                + URLEncoder.encode(p, StandardCharsets.UTF_8).replace("%2F", "/").replace("%7E", "~"))));
        for (Error error : schema.validate(body, InputFormat.JSON)) {
            out.add(what + ": " + error.getInstanceLocation() + " " + error.getMessage());
        }
    }

    private static String escape(String template) {
        return template.replace("~", "~0").replace("/", "~1");
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
    }
}

package io.carechat.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.messaging.logging.LogContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

@DisplayName("Every log line of an HTTP request carries its request id and the traceparent's trace id")
class RouterLogContextTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final org.slf4j.Logger HANDLER_LOG = LoggerFactory.getLogger("io.carechat.examples.test.handler");

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private Server server;
    private ServerConnector connector;

    @BeforeEach
    void start() throws Exception {
        appender.start();
        ((Logger) HANDLER_LOG).addAppender(appender);
        Router router = new Router(new ObjectMapper(), 1024, List.of(),
                new SecurityHeaders("ws://127.0.0.1:1/ws", false), new AddressRateLimiter(100));
        router.route("GET", "/api/echo", request -> {
            HANDLER_LOG.info("serving echo");
            return ApiResponse.ok(Map.of("ok", true));
        });
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(router), "/api/*");
        server.setHandler(context);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        ((Logger) HANDLER_LOG).detachAppender(appender);
    }

    private HttpResponse<String> get(String traceparent) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/api/echo"));
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("a handler's log line carries the request id answered in X-Request-Id and the trace id")
    void requestAndTraceIds() throws Exception {
        HttpResponse<String> response = get("00-" + TRACE_ID + "-00f067aa0ba902b7-01");

        assertThat(response.statusCode()).isEqualTo(200);
        String requestId = response.headers().firstValue(Router.REQUEST_ID_HEADER).orElseThrow();
        assertThat(appender.list).singleElement().satisfies(event -> {
            assertThat(event.getFormattedMessage()).isEqualTo("serving echo");
            assertThat(event.getMDCPropertyMap())
                    .containsEntry(LogContext.REQUEST_ID, requestId)
                    .containsEntry(LogContext.TRACE_ID, TRACE_ID)
                    .doesNotContainKey(LogContext.USER_ID);
        });
    }

    @Test
    @DisplayName("a malformed traceparent is ignored: the line has a request id of its own and no trace id")
    void malformedTraceparent() throws Exception {
        get("00-" + TRACE_ID + "-0000000000000000-01");
        get("not a traceparent");

        assertThat(appender.list).hasSize(2).allSatisfy(event -> assertThat(event.getMDCPropertyMap())
                .containsKey(LogContext.REQUEST_ID).doesNotContainKey(LogContext.TRACE_ID));
        assertThat(appender.list).extracting(e -> e.getMDCPropertyMap().get(LogContext.REQUEST_ID))
                .doesNotHaveDuplicates();
    }
}

package io.carechat.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The per-address cap on requests in progress, as a filter on a real Jetty server over loopback: handlers
 * held on a latch keep their requests in progress for as long as the test needs.
 */
@DisplayName("AddressGate")
class AddressGateTest {
    private static final int CAP = 3;

    private final CountDownLatch release = new CountDownLatch(1);
    private final Semaphore entered = new Semaphore(0);
    private Server server;
    private ServerConnector connector;

    @BeforeEach
    void start() throws Exception {
        AddressGate gate = new AddressGate(CAP, new SecurityHeaders("ws://127.0.0.1:1/ws", false));
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addFilter(new FilterHolder(gate), "/*", EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new Answer(true)), "/held");
        context.addServlet(new ServletHolder(new Answer(false)), "/quick");
        server.setHandler(context);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        server.stop();
    }

    @Test
    @DisplayName("an address with as many requests in progress as the cap gets 429 with Retry-After, another address does not, and the budget comes back")
    void capsRequestsInProgressPerAddress() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < CAP; i++) {
                held.add(open("127.0.0.1", "/held"));
            }
            assertThat(entered.tryAcquire(CAP, 1, TimeUnit.MINUTES)).as("the held requests reached their handler").isTrue();

            String refused = exchange("127.0.0.1", "/quick");
            assertThat(refused).startsWith("HTTP/1.1 429");
            assertThat(refused).containsIgnoringCase("Retry-After: 1");
            assertThat(refused).contains("\"code\":\"rate_limited\"");
            assertThat(exchange("127.0.0.2", "/quick")).as("another address keeps its own budget").startsWith("HTTP/1.1 200");
        } finally {
            release.countDown();
            for (Socket socket : held) {
                assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .startsWith("HTTP/1.1 200");
                socket.close();
            }
        }
        assertThat(exchange("127.0.0.1", "/quick")).as("answered again once the held requests ended").startsWith("HTTP/1.1 200");
    }

    private Socket open(String from, String path) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), connector.getLocalPort()), 5_000);
        socket.setSoTimeout(60_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private String exchange(String from, String path) throws IOException {
        try (Socket socket = open(from, path)) {
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** Answers 200, after waiting for the test's release when it holds its requests. */
    private final class Answer extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final boolean hold;

        Answer(boolean hold) {
            this.hold = hold;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (hold) {
                entered.release();
                try {
                    release.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            response.setHeader("Connection", "close");
            response.setStatus(200);
            // As the demo's servlets write: the answer completes when the servlet returns, after the gate.
            ResponseBodies.write(response, body);
        }
    }
}

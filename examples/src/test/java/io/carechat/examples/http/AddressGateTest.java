package io.carechat.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The per-address cap on requests in progress, on a real JDK HTTP server over loopback: handlers
 * held on a latch keep their requests in progress for as long as the test needs.
 */
@DisplayName("AddressGate")
class AddressGateTest {
    private static final int CAP = 3;

    private final CountDownLatch release = new CountDownLatch(1);
    private final Semaphore entered = new Semaphore(0);
    private HttpServer server;
    private ExecutorService threads;

    @BeforeEach
    void start() throws IOException {
        AddressGate gate = new AddressGate(CAP, new SecurityHeaders("ws://127.0.0.1:1/ws", false));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/held", gate.guard(exchange -> {
            entered.release();
            try {
                release.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200);
        }));
        server.createContext("/quick", gate.guard(exchange -> answer(exchange, 200)));
        threads = Executors.newFixedThreadPool(CAP + 4);
        server.setExecutor(threads);
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        threads.shutdownNow();
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
        socket.connect(server.getAddress(), 5_000);
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

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status) throws IOException {
        try (exchange) {
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Connection", "close");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }
}

package io.carechat.messaging.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/**
 * The NATS server the tests use, from {@code CARECHAT_TEST_NATS_URL} (default
 * {@code nats://127.0.0.1:4222}): tests skip with a message when it is unreachable, and fail
 * instead when {@code CARECHAT_REQUIRE_NATS=1}. Each test gets its own stream and subject prefix
 * and deletes its stream afterwards. Bounded waits. Stateless; thread-safe.
 */
final class NatsTestSupport {
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final String DEFAULT_URL = "nats://127.0.0.1:4222";

    private NatsTestSupport() {}

    /** The server's URL. */
    static String url() {
        String url = System.getenv("CARECHAT_TEST_NATS_URL");
        return url == null || url.isBlank() ? DEFAULT_URL : url;
    }

    /** The server's host and port, read from its URL. */
    static InetSocketAddress address() {
        URI uri = URI.create(url());
        return new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 4222 : uri.getPort());
    }

    /** Skips the test (or fails it, when NATS is required) unless the server accepts connections. */
    static void requireServer() {
        InetSocketAddress address = address();
        try (Socket socket = new Socket()) {
            socket.connect(address, 2_000);
        } catch (IOException e) {
            String message = "no NATS server at " + address.getHostString() + ":" + address.getPort()
                    + " (set CARECHAT_TEST_NATS_URL, or start nats-server with -js)";
            if ("1".equals(System.getenv("CARECHAT_REQUIRE_NATS"))) {
                throw new AssertionError(message + "; CARECHAT_REQUIRE_NATS=1", e);
            }
            Assumptions.abort(message);
        }
    }

    /** A stream name no other test uses. */
    static String uniqueStream() {
        return "cctest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    /** A subject prefix no other test uses. */
    static String uniquePrefix() {
        return "cctest." + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    /** Something a test does on a plain connection of its own. */
    @FunctionalInterface
    interface AdminCall<T> {
        T call(Connection admin) throws Exception;
    }

    /** Runs a call on a plain connection, opened for it and closed afterwards. */
    static <T> T withAdmin(AdminCall<T> call) throws Exception {
        Connection admin = Nats.connect(url());
        try {
            return call.call(admin);
        } finally {
            admin.close();
        }
    }

    /** Deletes a stream if it exists. */
    static void deleteStream(String stream) throws Exception {
        withAdmin(admin -> {
            try {
                return admin.jetStreamManagement().deleteStream(stream);
            } catch (JetStreamApiException e) {
                return false; // not created: nothing to delete
            }
        });
    }

    /** Waits, bounded, until the condition holds; fails with the message otherwise. */
    static void await(BooleanSupplier condition, String failure) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}

package io.carechat.examples;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The NATS server with JetStream that the cluster tests link their nodes through, from
 * {@code CARECHAT_TEST_NATS_URL} (default {@code nats://127.0.0.1:4222}). A test that needs it
 * is skipped with a message when it does not answer, and fails instead when
 * {@code CARECHAT_REQUIRE_NATS=1} (as in CI). Stateless.
 */
final class NatsServer {
    private static final String DEFAULT_URL = "nats://127.0.0.1:4222";

    private NatsServer() {}

    /** The server's URL. */
    static String url() {
        String url = System.getenv("CARECHAT_TEST_NATS_URL");
        return url == null || url.isBlank() ? DEFAULT_URL : url;
    }

    /**
     * Checks that the server answers, and names a stream no other test uses.
     *
     * @return the stream's name, for {@code CARECHAT_NATS_STREAM}
     */
    static String requireStream() {
        URI uri = URI.create(url());
        InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 4222 : uri.getPort());
        try (Socket socket = new Socket()) {
            socket.connect(address, 2_000);
        } catch (IOException e) {
            String message = "no NATS server at " + address.getHostString() + ":" + address.getPort()
                    + " (set CARECHAT_TEST_NATS_URL, or start nats-server with -js) for the NATS cluster run";
            if ("1".equals(System.getenv("CARECHAT_REQUIRE_NATS"))) {
                throw new AssertionError(message + "; CARECHAT_REQUIRE_NATS=1", e);
            }
            Assumptions.abort(message);
        }
        return "cctest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    /** Deletes a stream the nodes created, if they did. */
    static void deleteStream(String stream) throws Exception {
        Connection admin = Nats.connect(url());
        try {
            admin.jetStreamManagement().deleteStream(stream);
        } catch (JetStreamApiException notThere) {
            // the nodes never created it
        } finally {
            admin.close();
        }
    }
}

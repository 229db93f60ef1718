package io.carechat.messaging.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real JWKS endpoint on loopback, as an identity provider serves it: the public keys published
 * can be changed at any time (a key rotation), and the fetches are counted. Thread-safe; close it
 * after the test.
 */
final class LoopbackJwks implements AutoCloseable {

    private final HttpServer server;
    private final AtomicReference<List<JWK>> published = new AtomicReference<>(List.of());
    private final AtomicInteger fetches = new AtomicInteger();

    private LoopbackJwks(HttpServer server) {
        this.server = server;
    }

    /** Starts serving an empty key set at {@code /keys} on a free loopback port. */
    static LoopbackJwks start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            LoopbackJwks jwks = new LoopbackJwks(server);
            server.createContext("/keys", exchange -> {
                jwks.fetches.incrementAndGet();
                byte[] body = new JWKSet(jwks.published.get()).toString(true).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return jwks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Publishes exactly these RSA public keys, by kid, replacing what was published. */
    void publish(Object... kidsAndKeyPairs) {
        List<JWK> keys = new ArrayList<>();
        for (int i = 0; i < kidsAndKeyPairs.length; i += 2) {
            String kid = (String) kidsAndKeyPairs[i];
            KeyPair pair = (KeyPair) kidsAndKeyPairs[i + 1];
            keys.add(new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID(kid).build());
        }
        published.set(List.copyOf(keys));
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/keys");
    }

    int fetches() {
        return fetches.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

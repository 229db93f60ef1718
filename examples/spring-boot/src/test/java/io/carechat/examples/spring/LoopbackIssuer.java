package io.carechat.examples.spring;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * A hospital identity provider on loopback for the tests: it serves its public key as a real
 * JWKS document over HTTP and mints RS256 access tokens shaped as RFC 9068 says (typ
 * {@code at+jwt}; iss, aud, sub, exp, iat, jti; roles; the profile claims CareChat provisions
 * users from). It also holds a second key that it never publishes, for tokens that must be
 * refused. Thread-safe; close it after the tests.
 */
final class LoopbackIssuer implements AutoCloseable {

    static final String AUDIENCE = "carechat";

    private final HttpServer server;
    private final RSAKey published;
    private final RSAKey unpublished;

    private LoopbackIssuer(HttpServer server, RSAKey published, RSAKey unpublished) {
        this.server = server;
        this.published = published;
        this.unpublished = unpublished;
    }

    static LoopbackIssuer start() {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID("idp-key-1").generate();
            RSAKey other = new RSAKeyGenerator(2048).keyID("idp-key-1").generate();
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] jwks = new JWKSet(key.toPublicJWK()).toString(true).getBytes(StandardCharsets.UTF_8);
            server.createContext("/realms/hospital/keys", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                exchange.getResponseBody().write(jwks);
                exchange.close();
            });
            server.start();
            return new LoopbackIssuer(server, key, other);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/hospital";
    }

    String jwksUrl() {
        return issuer() + "/keys";
    }

    /** A valid access token for this user, with this role. */
    String token(String subject, String username, String role) {
        return sign(published, subject, username, role);
    }

    /** A token like {@link #token}, signed with a key the provider never published. */
    String forgedToken(String subject, String username, String role) {
        return sign(unpublished, subject, username, role);
    }

    private String sign(RSAKey key, String subject, String username, String role) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer())
                .audience(AUDIENCE)
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
                .jwtID(UUID.randomUUID().toString())
                .claim("roles", List.of(role))
                .claim("preferred_username", username)
                .claim("email", username + "@hospital.example")
                .claim("name", username)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(new JOSEObjectType("at+jwt")).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

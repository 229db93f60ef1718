package io.carechat.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.hub.Hub;
import io.carechat.messaging.websocket.client.CareChatClient;
import io.carechat.messaging.websocket.client.CareChatListener;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Stops the example application while a user is connected: the starter drains CareChat's socket
 * before the web server stops, so the client is told {@code 1001 server_shutdown} (the contract's
 * graceful close) rather than losing its connection, and the hub is closed with the context.
 * On a fresh PostgreSQL schema; skipped with a message without {@code CARECHAT_TEST_POSTGRES_URL},
 * unless {@code CARECHAT_REQUIRE_POSTGRES=1}.
 */
@ExtendWith(PostgresSchema.Condition.class)
@DisplayName("Stopping the Spring Boot example drains CareChat's sockets first")
class ShutdownDrainTest {

    @Test
    @DisplayName("A connected user is closed with 1001 server_shutdown when the application stops")
    void stopDrainsSockets() throws Exception {
        PostgresSchema schema = PostgresSchema.create();
        try (LoopbackIssuer issuer = LoopbackIssuer.start()) {
            ConfigurableApplicationContext context = new SpringApplicationBuilder(CareChatExampleApplication.class)
                    .run("--server.port=0",
                            "--spring.datasource.url=" + schema.url(),
                            "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer.issuer(),
                            "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + issuer.jwksUrl(),
                            "--carechat.encryption.keys=k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
            CompletableFuture<String> closed = new CompletableFuture<>();
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            Hub hub = context.getBean(Hub.class);
            try (CareChatClient client = CareChatClient.builder()
                    .uri(URI.create("ws://127.0.0.1:" + port + "/ws"))
                    .tokenSupplier(() -> issuer.token("nurse-station-7", "n.lee", "DOCTOR"))
                    .reconnect(false)
                    .listener(new CareChatListener() {
                        @Override
                        public void onDisconnected(int code, String reason) {
                            closed.complete(code + " " + reason);
                        }
                    })
                    .build()) {
                client.connect().get(20, TimeUnit.SECONDS);
                assertThat(hub.openSessions()).isEqualTo(1);

                context.close();

                assertThat(closed.get(20, TimeUnit.SECONDS)).isEqualTo("1001 server_shutdown");
                assertThat(hub.openSessions()).isZero();
            } finally {
                context.close();
            }
        } finally {
            schema.drop();
        }
    }
}

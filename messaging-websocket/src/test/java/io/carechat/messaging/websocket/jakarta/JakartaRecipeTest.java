package io.carechat.messaging.websocket.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.hub.Hub;
import io.carechat.messaging.websocket.client.CareChatClient;
import io.carechat.messaging.websocket.client.CareChatListener;
import jakarta.servlet.ServletContainerInitializer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The module README's recipe registers CareChat on a Jakarta container")
class JakartaRecipeTest {

    @Test
    @DisplayName("Every snippet the module README quotes from these tests is there word for word")
    void readmeQuotesTheseSnippets() throws IOException {
        String readme = normalized(Files.readString(Path.of("README.md")));
        Path tests = Path.of("src/test/java/io/carechat/messaging/websocket/jakarta");
        List<String> snippets = new ArrayList<>();
        for (String file : List.of("JakartaRecipeTest.java", "JettyHost.java")) {
            Matcher m = SNIPPET.matcher(Files.readString(tests.resolve(file)));
            while (m.find()) {
                snippets.add(m.group(1));
            }
        }
        assertThat(snippets).hasSize(3);
        for (String snippet : snippets) {
            assertThat(readme).contains(normalized(snippet));
        }
    }

    @Test
    @DisplayName("The project README's Jakarta recipe quotes the registration and the stop word for word")
    void projectReadmeQuotesTheRecipe() throws IOException {
        String readme = normalized(Files.readString(Path.of("..", "README.md")));
        Matcher m = SNIPPET.matcher(Files.readString(
                Path.of("src/test/java/io/carechat/messaging/websocket/jakarta/JakartaRecipeTest.java")));
        List<String> snippets = new ArrayList<>();
        while (m.find()) {
            snippets.add(m.group(1));
        }
        assertThat(snippets).hasSize(2);
        for (String snippet : snippets) {
            assertThat(readme).contains(normalized(snippet));
        }
    }

    private static final Pattern SNIPPET = Pattern.compile("// --- README: [^\\n]*---\\n(.*?)\\n\\s*// --- end README ---",
            Pattern.DOTALL);

    /** Each line trimmed, so indentation does not count. */
    private static String normalized(String text) {
        return text.lines().map(String::trim).collect(Collectors.joining("\n"));
    }

    @Test
    @DisplayName("The recipe serves a client on the application's own port, and its stop closes the socket with 1001 server_shutdown")
    void recipeServesAClient() throws Exception {
        CompletableFuture<String> disconnect = new CompletableFuture<>();
        try (LoopbackHub loopback = new LoopbackHub()) {
            Hub hub = loopback.hub;
            // --- README: register CareChat on any Jakarta WebSocket container ---
            CareChatEndpointConfig carechat = CareChatEndpointConfig.builder()
                    .hub(hub)
                    .path("/ws")
                    .allowOrigin("https://chat.hospital.example")
                    .build();
            ServletContainerInitializer registerCareChat = (classes, servletContext) ->
                    servletContext.addServlet("carechat", carechat.upgradeServlet()).addMapping(carechat.path());
            // --- end README ---
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            context.addServletContainerInitializer(registerCareChat);
            JakartaWebSocketServletContainerInitializer.configure(context, null);
            server.setHandler(context);
            server.start();
            try (CareChatClient client = CareChatClient.builder()
                    .uri(URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/ws"))
                    .tokenSupplier(() -> loopback.token(LoopbackHub.PATIENT))
                    .reconnect(false)
                    .listener(new CareChatListener() {
                        @Override
                        public void onDisconnected(int code, String reason) {
                            disconnect.complete(code + " " + reason);
                        }
                    })
                    .build()) {
                client.connect().get(10, TimeUnit.SECONDS);
                client.ping().get(10, TimeUnit.SECONDS);
                assertThat(hub.isOnline(LoopbackHub.PATIENT)).isTrue();

                // --- README: stop ---
                carechat.stop(Duration.ofSeconds(10)); // first: the container's stop closes sockets without a drain
                server.stop();
                // --- end README ---
                assertThat(disconnect.get(10, TimeUnit.SECONDS)).isEqualTo("1001 server_shutdown");
                assertThat(hub.isOnline(LoopbackHub.PATIENT)).isFalse();
            }
        }
    }
}

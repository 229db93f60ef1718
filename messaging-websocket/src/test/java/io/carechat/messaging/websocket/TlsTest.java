package io.carechat.messaging.websocket;

import static io.carechat.messaging.websocket.ChatServer.ANN;
import static io.carechat.messaging.websocket.ChatServer.DOCTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.hub.HubSettings;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.tck.transport.RawWebSocket;
import io.carechat.messaging.websocket.client.CareChatClient;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Given an SSLContext the server speaks wss")
class TlsTest {
    private static final char[] PASSWORD = "test-only-password".toCharArray();
    private static Tls tls;

    @BeforeAll
    static void makeKeys(@TempDir Path dir) throws Exception {
        tls = tls(dir);
    }

    /** A server context with the self-signed key, and a client context trusting it. */
    private record Tls(SSLContext server, SSLContext client) {}

    private static Tls tls(Path dir) throws Exception {
        KeyStore keyStore = selfSignedKeyStore(dir);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, PASSWORD);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(keys.getKeyManagers(), null, null);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trust.getTrustManagers(), null);
        return new Tls(server, client);
    }

    @Test
    @DisplayName("A client trusting the server's self-signed certificate chats over wss")
    void roundTripOverTls() {
        try (ChatServer chat = new ChatServer(HubSettings.defaults(), b -> b.sslContext(tls.server()))) {
            URI wss = URI.create("wss://127.0.0.1:" + chat.port() + "/ws");
            Recorder annHears = new Recorder();
            CareChatClient doctor = chat.client(DOCTOR, new Recorder(), b -> b.uri(wss).sslContext(tls.client()));
            CareChatClient ann = chat.client(ANN, annHears, b -> b.uri(wss).sslContext(tls.client()));
            Await.done(doctor.connect());
            Await.done(ann.connect());

            Conversation conversation = Await.done(doctor.open(ANN));
            Await.done(doctor.send(conversation.id(), "Sent over TLS"));
            annHears.awaitMessages(1);
            assertThat(annHears.bodies()).containsExactly("Sent over TLS");
        }
    }

    @Test
    @DisplayName("Over TLS too, a foreign Origin gets HTTP 403 and the connection is closed")
    void forbiddenOriginOverTls() throws Exception {
        try (ChatServer chat = new ChatServer(HubSettings.defaults(), b -> b.sslContext(tls.server()));
                RawWebSocket raw = RawWebSocket.upgrade(tls.client().getSocketFactory().createSocket("127.0.0.1", chat.port()),
                        chat.port(), "/ws", Map.of("Origin", "https://evil.example"))) {
            assertThat(raw.status()).isEqualTo(403);
            assertThat(raw.endOfStream()).isTrue();
        }
    }

    /** Makes a key pair and self-signed certificate for 127.0.0.1 with the JDK's keytool. */
    private static KeyStore selfSignedKeyStore(Path dir) throws Exception {
        Path file = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "server",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                .redirectErrorStream(true)
                .start();
        process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(process.waitFor(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keyStore.load(in, PASSWORD);
        }
        return keyStore;
    }
}

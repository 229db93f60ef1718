package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a TLS keystore configured, the demo server speaks HTTPS and WSS only. */
class DemoServerTlsIT {

    @TempDir
    Path workDir;

    @Test
    @DisplayName("CARECHAT_TLS_KEYSTORE turns on HTTPS for the API and WSS for the WebSocket endpoint, on the one port")
    void httpsAndWss() throws Exception {
        Path keystore = workDir.resolve("server.p12");
        String password = "keystore-pass";
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "carechat", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password, "-keypass", password)
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();

        try (DemoProcess server = DemoProcess.startTls(workDir, Map.of(
                "CARECHAT_TLS_KEYSTORE", keystore.toString(), "CARECHAT_TLS_KEYSTORE_PASSWORD", password),
                trusting(keystore, password))) {
            assertThat(server.wsPort).as("wss on the HTTPS port").isEqualTo(server.httpPort);
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(keystore, password))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> config = client.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + server.httpPort + "/api/config")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(config.statusCode()).isEqualTo(200);
            assertThat(config.body()).contains("\"wsUrl\":\"wss://localhost:" + server.wsPort + "/ws\"");
            assertThat(config.headers().firstValue("Strict-Transport-Security")).as("HSTS under TLS")
                    .hasValue("max-age=31536000");

            WebSocket socket = client.newWebSocketBuilder().buildAsync(
                    URI.create("wss://127.0.0.1:" + server.wsPort + "/ws"), new WebSocket.Listener() { })
                    .get(20, TimeUnit.SECONDS);
            socket.abort();
        }
    }

    static SSLContext trusting(Path keystore, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}

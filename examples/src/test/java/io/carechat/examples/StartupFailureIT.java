package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up failures a newcomer meets end the real demo jar with a non-zero exit and one line
 * naming the setting to change, and no stack trace: a port in use, a database that refuses the
 * connection, a keystore that cannot be read or whose password is wrong.
 */
class StartupFailureIT {
    @TempDir
    Path workDir;

    /** How the process ended. */
    private record Exit(int code, String output) {}

    @Test
    @DisplayName("CARECHAT_HTTP_PORT in use: one line naming it, exit non-zero")
    void httpPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Exit exit = run(Map.of("CARECHAT_HTTP_PORT", Integer.toString(taken.getLocalPort())));
            assertOneClearLine(exit, "CARECHAT_HTTP_PORT", "port " + taken.getLocalPort() + " is already in use");
        }
    }

    @Test
    @DisplayName("CARECHAT_WS_PORT in use: one line naming it, exit non-zero")
    void socketPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Exit exit = run(Map.of("CARECHAT_HTTP_PORT", Integer.toString(freePort()),
                    "CARECHAT_WS_PORT", Integer.toString(taken.getLocalPort())));
            assertOneClearLine(exit, "CARECHAT_WS_PORT", "port " + taken.getLocalPort() + " is already in use");
        }
    }

    @Test
    @DisplayName("a database URL nothing listens on: one line naming CARECHAT_DB_URL, exit non-zero")
    void databaseRefused() throws Exception {
        Exit exit = run(Map.of("CARECHAT_HTTP_PORT", Integer.toString(freePort()),
                "CARECHAT_DB_URL", "jdbc:postgresql://127.0.0.1:" + freePort() + "/carechat",
                "CARECHAT_DB_PASSWORD", "a-database-secret"));
        assertOneClearLine(exit, "CARECHAT_DB_URL", "cannot connect to the database");
        assertThat(exit.output()).as("no password in the output").doesNotContain("a-database-secret");
    }

    @Test
    @DisplayName("a keystore file that does not exist: one line naming CARECHAT_TLS_KEYSTORE, exit non-zero")
    void keystoreUnreadable() throws Exception {
        Exit exit = run(Map.of("CARECHAT_HTTP_PORT", Integer.toString(freePort()),
                "CARECHAT_TLS_KEYSTORE", workDir.resolve("no-such.p12").toString(),
                "CARECHAT_TLS_KEYSTORE_PASSWORD", "whatever-pass"));
        assertOneClearLine(exit, "CARECHAT_TLS_KEYSTORE", "cannot be read");
    }

    @Test
    @DisplayName("a keystore with another password: one line naming CARECHAT_TLS_KEYSTORE_PASSWORD, exit non-zero")
    void keystorePasswordWrong() throws Exception {
        Path keystore = workDir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "carechat", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "the-right-pass", "-keypass", "the-right-pass").redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();
        Exit exit = run(Map.of("CARECHAT_HTTP_PORT", Integer.toString(freePort()),
                "CARECHAT_TLS_KEYSTORE", keystore.toString(), "CARECHAT_TLS_KEYSTORE_PASSWORD", "the-wrong-pass"));
        assertOneClearLine(exit, "CARECHAT_TLS_KEYSTORE_PASSWORD", "password is wrong");
        assertThat(exit.output()).doesNotContain("the-wrong-pass").doesNotContain("the-right-pass");
    }

    private static void assertOneClearLine(Exit exit, String setting, String what) {
        assertThat(exit.code()).as("a non-zero exit; output:%n%s", exit.output()).isNotZero();
        List<String> lines = exit.output().lines().filter(l -> l.startsWith("CareChat cannot start: ")).toList();
        assertThat(lines).as("one line saying why; output:%n%s", exit.output()).hasSize(1);
        assertThat(lines.get(0)).contains(setting).contains(what);
        assertThat(exit.output()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
    }

    private Exit run(Map<String, String> settings) throws Exception {
        Path dir = Files.createTempDirectory(workDir, "run");
        Path output = dir.resolve("server.log");
        String jar = System.getProperty("carechat.demo.jar", "target/carechat-demo.jar");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar)))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("CARECHAT_"));
        env.putAll(new HashMap<>(settings));
        Process process = builder.start();
        try {
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("the server gives up by itself").isTrue();
            return new Exit(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

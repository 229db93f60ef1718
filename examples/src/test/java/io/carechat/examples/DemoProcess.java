package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The demo server started as the README starts it, {@code java -jar examples/target/carechat-demo.jar},
 * in its own process on free loopback ports with a fresh data folder. Output goes to a file that
 * tests can read. Closing it sends SIGTERM and waits for a graceful exit; {@link #kill()} sends
 * SIGKILL instead, and {@link #restart()} starts the server again on the same ports, data folder
 * and settings, as after a crash. Public for the browser tests in {@code io.carechat.examples.browser}.
 *
 * <p>By default the server runs on one port: the API, the web UI and the socket {@code /ws} (the
 * Jakarta adapter on Jetty) all on {@link #httpPort}, and {@link #wsPort} is that same port. A
 * test of the Java-WebSocket adapter passes {@code CARECHAT_WS_PORT} = {@link #FREE_PORT} in its
 * settings: the server then also serves {@code /ws} on a free port of its own, which
 * {@link #wsPort} names and the web UI is told to use.
 */
public final class DemoProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** The value of {@code CARECHAT_WS_PORT} that asks for the socket on a free port of its own. */
    static final String FREE_PORT = "free";
    private static final String WS_PORT = "CARECHAT_WS_PORT";

    final int httpPort;
    final int wsPort;
    final Path dataDir;
    final Path output;
    private final Path workDir;
    private final Map<String, String> env;
    private final int starts;
    private final Process process;
    private javax.net.ssl.SSLContext tls;

    private DemoProcess(Path workDir, Map<String, String> env) throws IOException {
        this(workDir, env, freePort(), FREE_PORT.equals(env.get(WS_PORT)) ? freePort() : 0, 1);
    }

    private DemoProcess(Path workDir, Map<String, String> env, int httpPort, int wsPort, int starts)
            throws IOException {
        this.httpPort = httpPort;
        this.wsPort = wsPort == 0 ? httpPort : wsPort;
        this.workDir = workDir;
        this.env = Map.copyOf(env);
        this.starts = starts;
        this.dataDir = workDir.resolve("carechat-data");
        this.output = workDir.resolve(starts == 1 ? "server.log" : "server-" + starts + ".log");
        String jar = System.getProperty("carechat.demo.jar", "target/carechat-demo.jar");
        assertThat(Path.of(jar)).as("the runnable jar built by mvn package").exists();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CARECHAT_"));
        builder.environment().put("CARECHAT_HTTP_PORT", Integer.toString(httpPort));
        builder.environment().putAll(env);
        if (wsPort != 0) {
            builder.environment().put(WS_PORT, Integer.toString(wsPort));
        }
        this.process = builder.start();
    }

    /** Starts the server and waits until {@code /health} answers. */
    public static DemoProcess start(Path workDir, Map<String, String> env) throws Exception {
        return start(workDir, env, null);
    }

    /** Starts a server configured for TLS and waits until {@code /health} answers over HTTPS. */
    static DemoProcess startTls(Path workDir, Map<String, String> env, javax.net.ssl.SSLContext trust) throws Exception {
        return start(workDir, env, trust);
    }

    private static DemoProcess start(Path workDir, Map<String, String> env, javax.net.ssl.SSLContext tls)
            throws Exception {
        return awaitStarted(new DemoProcess(workDir, env), tls);
    }

    /**
     * Starts this server again after it ended, on the same ports, work folder (so the same data
     * folder and embedded database) and settings, and waits until {@code /health} answers. Its
     * output goes to a new file, {@code server-2.log} and so on.
     *
     * @return the new process
     * @throws IllegalStateException when this one still runs
     */
    DemoProcess restart() throws Exception {
        if (process.isAlive()) {
            throw new IllegalStateException("the server still runs; kill() or stop() it first");
        }
        return awaitStarted(new DemoProcess(workDir, env, httpPort, wsPort == httpPort ? 0 : wsPort, starts + 1), tls);
    }

    private static DemoProcess awaitStarted(DemoProcess demo, javax.net.ssl.SSLContext tls) throws Exception {
        demo.tls = tls;
        try {
            demo.awaitHealthy();
            return demo;
        } catch (Exception | AssertionError e) {
            demo.close();
            throw new AssertionError("the demo server did not start; its output:\n" + demo.log(), e);
        }
    }

    /** @return the server process's id, to read its threads and open files from {@code /proc} */
    long pid() {
        return process.pid();
    }

    /** @return the base address, e.g. {@code http://127.0.0.1:PORT} ({@code https} with TLS) */
    public String baseUrl() {
        return (tls != null ? "https" : "http") + "://127.0.0.1:" + httpPort;
    }

    /** @return what the server printed so far */
    public String log() throws IOException {
        return Files.exists(output) ? Files.readString(output) : "";
    }

    /**
     * The server's threads and what each waits for, as {@code jcmd <pid> Thread.print} prints them,
     * for a test to show when the server fails to answer in time.
     *
     * @return the thread dump, or why none could be taken
     */
    String threadDump() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            String text = new String(dump.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            dump.waitFor(30, TimeUnit.SECONDS);
            return text;
        } catch (IOException e) {
            return "no thread dump: " + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no thread dump: interrupted";
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private void awaitHealthy() throws Exception {
        HttpClient.Builder clients = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (tls != null) {
            clients.sslContext(tls);
        }
        HttpClient client = clients.build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue());
            }
            try {
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && log().contains("CareChat demo is running")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no healthy answer within " + START_TIMEOUT);
    }

    /**
     * Ends the server at once, as a crash or the kernel's OOM killer would: SIGKILL on Linux, so no
     * shutdown hook runs and nothing is flushed or closed. Waits until the process is gone.
     */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the server survived SIGKILL for 30 s");
        }
    }

    /** Sends SIGTERM and waits for the exit; returns the exit code. */
    int stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

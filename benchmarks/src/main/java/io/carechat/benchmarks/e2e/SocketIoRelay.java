package io.carechat.benchmarks.e2e;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The peer: a Socket.IO 4 relay on Node.js ({@code benchmarks/socketio-relay/server.js}) started as
 * a process, which forwards each {@code msg} event from a pair's sender to the pair's receiver. The
 * generator speaks Engine.IO v4 and Socket.IO to it over a plain WebSocket (see {@link EngineIo}),
 * answering the server's pings. {@code npm ci} installs its locked dependencies when
 * {@code node_modules} is missing. Driven from one thread. Lifecycle: {@link #start}, {@link
 * #connect} once, {@link #close()} once (which stops node).
 */
final class SocketIoRelay implements SystemUnderTest {
    private static final String EVENT = "msg";

    private final ChildProcess node;
    private final int port;
    private final SocketGroup sockets = new SocketGroup();

    private SocketIoRelay(ChildProcess node, int port) {
        this.node = node;
        this.port = port;
    }

    /**
     * @return null when node and npm run, else why the Socket.IO relay must be skipped
     */
    static String unavailableReason() {
        for (String tool : List.of("node", "npm")) {
            try {
                Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return "'" + tool + " --version' did not answer";
                }
                if (p.exitValue() != 0) {
                    return "'" + tool + " --version' failed";
                }
            } catch (IOException e) {
                return tool + " is not installed (" + e.getMessage() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        return null;
    }

    /**
     * Installs the relay's dependencies if needed, starts it and waits until it listens.
     *
     * @param relayDir {@code benchmarks/socketio-relay}
     * @param workDir a folder for its output
     * @param maxRun how long node may run before it stops by itself
     */
    static SocketIoRelay start(Path relayDir, Path workDir, Duration maxRun) throws Exception {
        if (!Files.isDirectory(relayDir.resolve("node_modules"))) {
            npmCi(relayDir, workDir);
        }
        int port = ChildProcess.freePort();
        ChildProcess node = ChildProcess.start("socketio-relay", List.of("node",
                relayDir.resolve("server.js").toAbsolutePath().toString(), Integer.toString(port),
                Long.toString(maxRun.toSeconds())), Map.of(), workDir);
        try {
            node.awaitOutput("listening " + port, Duration.ofSeconds(30));
        } catch (Exception e) {
            node.close();
            throw e;
        }
        return new SocketIoRelay(node, port);
    }

    private static void npmCi(Path relayDir, Path workDir) throws Exception {
        System.out.println("installing the Socket.IO relay's dependencies: npm ci in " + relayDir);
        Files.createDirectories(workDir);
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(relayDir.toFile())
                .redirectErrorStream(true).redirectOutput(workDir.resolve("npm-ci.log").toFile()).start();
        if (!npm.waitFor(5, TimeUnit.MINUTES)) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm ci took more than 5 minutes");
        }
        if (npm.exitValue() != 0) {
            throw new IllegalStateException("npm ci failed; see " + workDir.resolve("npm-ci.log"));
        }
    }

    @Override
    public String name() {
        return "Socket.IO 4 relay (Node.js)";
    }

    @Override
    public List<PairSender> connect(int pairs, Measurements measurements) throws Exception {
        String base = "ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket&pair=";
        CountDownLatch connected = new CountDownLatch(2 * pairs);
        List<SocketGroup.Spec> receivers = new ArrayList<>();
        List<SocketGroup.Spec> senders = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            receivers.add(new SocketGroup.Spec(URI.create(base + i + "&role=recv"), Map.of(),
                    handler(connected, measurements, true)));
            senders.add(new SocketGroup.Spec(URI.create(base + i + "&role=send"), Map.of(),
                    handler(connected, measurements, false)));
        }
        sockets.open(receivers, true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (connected.getCount() > pairs) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("receivers did not join the Socket.IO namespace");
            }
            Thread.sleep(20);
        }
        List<ClientSocket> open = sockets.open(senders, false);
        if (!connected.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(connected.getCount() + " sockets did not join the Socket.IO namespace");
        }
        List<PairSender> out = new ArrayList<>();
        for (ClientSocket socket : open) {
            out.add(new FramedSender(socket.sender(), body -> EngineIo.event(EVENT, body)));
        }
        return out;
    }

    private static ClientSocket.Handler handler(CountDownLatch connected, Measurements measurements, boolean receiver) {
        return (socket, frame, at) -> {
            switch (EngineIo.kind(frame)) {
                case OPEN:
                    socket.sender().send(EngineIo.CONNECT);
                    break;
                case CONNECTED:
                    connected.countDown();
                    break;
                case PING:
                    socket.sender().send(EngineIo.PONG);
                    break;
                case EVENT:
                    if (receiver && EVENT.equals(EngineIo.eventName(frame))) {
                        measurements.onReceived(frame, at);
                    }
                    break;
                case CONNECT_ERROR:
                    measurements.onError();
                    break;
                default:
                    break;
            }
        };
    }

    @Override
    public void close() {
        sockets.close();
        node.close();
    }
}

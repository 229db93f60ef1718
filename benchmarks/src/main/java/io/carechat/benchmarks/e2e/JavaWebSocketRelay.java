package io.carechat.benchmarks.e2e;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * The transport ceiling: a bare Java-WebSocket server, in this JVM on loopback, that forwards every
 * text frame from a pair's sender, unchanged, to the pair's receiver, and does nothing else (no
 * authentication, storage or acknowledgement). The same library CareChat's WebSocket adapter is
 * built on. Driven from one thread. Lifecycle: {@link #start}, {@link #connect} once, {@link
 * #close()} once.
 */
final class JavaWebSocketRelay implements SystemUnderTest {
    private final RelayServer server;
    private final SocketGroup sockets = new SocketGroup();

    private JavaWebSocketRelay(RelayServer server) {
        this.server = server;
    }

    /** Starts the relay on a free loopback port and waits until it listens. */
    static JavaWebSocketRelay start() throws Exception {
        RelayServer server = new RelayServer(new InetSocketAddress("127.0.0.1", ChildProcess.freePort()));
        server.setTcpNoDelay(true);
        server.setReuseAddr(true);
        server.start();
        if (!server.started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the Java-WebSocket relay did not start");
        }
        return new JavaWebSocketRelay(server);
    }

    @Override
    public String name() {
        return "Java-WebSocket relay";
    }

    @Override
    public List<PairSender> connect(int pairs, Measurements measurements) throws Exception {
        String base = "ws://127.0.0.1:" + server.getPort() + "/?pair=";
        List<SocketGroup.Spec> receivers = new ArrayList<>();
        List<SocketGroup.Spec> senders = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            receivers.add(new SocketGroup.Spec(URI.create(base + i + "&role=recv"), Map.of(),
                    (socket, frame, at) -> measurements.onReceived(frame, at)));
            senders.add(new SocketGroup.Spec(URI.create(base + i + "&role=send"), Map.of(), (socket, frame, at) -> { }));
        }
        sockets.open(receivers, true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.receivers.size() < pairs && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<PairSender> out = new ArrayList<>();
        for (ClientSocket socket : sockets.open(senders, false)) {
            out.add(new FramedSender(socket.sender(), UnaryOperator.identity()));
        }
        return out;
    }

    @Override
    public void close() {
        sockets.close();
        try {
            server.stop(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // already stopping: Java-WebSocket may close its selector under us
        }
    }

    /** Pairs sockets by the {@code pair} query parameter and forwards sender frames. */
    private static final class RelayServer extends WebSocketServer {
        final Map<String, WebSocket> receivers = new ConcurrentHashMap<>();
        final CountDownLatch started = new CountDownLatch(1);

        RelayServer(InetSocketAddress address) {
            super(address);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            String query = URI.create(handshake.getResourceDescriptor()).getQuery();
            String pair = parameter(query, "pair");
            conn.setAttachment(pair);
            if ("recv".equals(parameter(query, "role"))) {
                receivers.put(pair, conn);
            }
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            WebSocket receiver = receivers.get((String) conn.getAttachment());
            if (receiver != null && receiver != conn && receiver.isOpen()) {
                receiver.send(message);
            }
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            String pair = conn.getAttachment();
            if (pair != null) {
                receivers.remove(pair, conn);
            }
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
            // a failing socket shows as missing deliveries in the step's result
        }

        @Override
        public void onStart() {
            started.countDown();
        }

        private static String parameter(String query, String name) {
            if (query == null) {
                return "";
            }
            for (String part : query.split("&")) {
                if (part.startsWith(name + "=")) {
                    return part.substring(name.length() + 1);
                }
            }
            return "";
        }
    }
}

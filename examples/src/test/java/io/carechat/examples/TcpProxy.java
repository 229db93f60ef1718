package io.carechat.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A TCP proxy on loopback between the demo server and a service it depends on (its database, or
 * the NATS server), which a test can cut: while cut, every connection through it is closed and new
 * ones are closed at once, as if the service were unreachable. It also names the local ports of its
 * connections to the service, so a test can find exactly the database sessions behind it.
 * Thread-safe; closed once.
 */
final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket[]> pairs = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private volatile boolean closed;

    TcpProxy(String targetHost, int targetPort) throws IOException {
        this.target = new InetSocketAddress(targetHost, targetPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Closes every connection through the proxy, and every new one until {@link #restore()}. */
    void cut() {
        cut = true;
        for (Socket[] pair : pairs) {
            closeQuietly(pair);
        }
        pairs.clear();
    }

    /** Lets connections through again. */
    void restore() {
        cut = false;
    }

    /** The local ports of the proxy's open connections to its target (the database, or the NATS server). */
    Set<Integer> targetSidePorts() {
        return pairs.stream().map(p -> p[1].getLocalPort()).collect(Collectors.toSet());
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    client.close();
                    continue;
                }
                Socket server = new Socket();
                server.connect(target, 5_000);
                Socket[] pair = {client, server};
                pairs.add(pair);
                pump(client, server, pair);
                pump(server, client, pair);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, Socket[] pair) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: close both
            } finally {
                closeQuietly(pair);
                pairs.remove(pair);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket[] pair) {
        for (Socket s : pair) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        cut();
    }
}

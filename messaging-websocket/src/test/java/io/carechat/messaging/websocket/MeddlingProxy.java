package io.carechat.messaging.websocket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy on loopback in front of a WebSocket server that fails the way networks do without
 * closing anything: {@link #stall()} makes the connections open at that moment swallow every byte
 * both ways (a half-open connection, a stalled middlebox), and {@link #dropNextClientTextFrame()}
 * loses the next whole text frame a client sends. Connections made later pass everything.
 *
 * <p>Thread-safe; two threads per connection. Lifecycle: created listening, {@link #close()}
 * closes the listener and every connection.
 */
final class MeddlingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final AtomicBoolean dropNextText = new AtomicBoolean();

    MeddlingProxy(int target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "meddling-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/ws");
    }

    /** Makes the connections open now swallow everything from here on, both ways, and close nothing. */
    void stall() {
        links.forEach(link -> link.stalled = true);
    }

    /** Loses the next text frame a client sends after its upgrade. */
    void dropNextClientTextFrame() {
        dropNextText.set(true);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 2_000);
                Link link = new Link(client, server);
                links.add(link);
                start(() -> link.clientToServer(), "meddling-proxy-up");
                start(() -> link.serverToClient(), "meddling-proxy-down");
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void start(Runnable pump, String name) {
        Thread t = new Thread(pump, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        links.forEach(Link::close);
    }

    /** One proxied connection. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        private volatile boolean stalled;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void serverToClient() {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = server.getInputStream(); OutputStream out = client.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (!stalled) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                close();
            }
        }

        /** Passes the upgrade request, then whole frames, dropping one text frame when asked. */
        void clientToServer() {
            try (DataInputStream in = new DataInputStream(client.getInputStream());
                    OutputStream out = server.getOutputStream()) {
                passUpgradeRequest(in, out);
                while (true) {
                    byte[] frame = readFrame(in);
                    boolean text = (frame[0] & 0x0F) == 1;
                    if (stalled || text && dropNextText.compareAndSet(true, false)) {
                        continue;
                    }
                    out.write(frame);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                close();
            }
        }

        private void passUpgradeRequest(DataInputStream in, OutputStream out) throws IOException {
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < end.length) {
                int b = in.readUnsignedByte();
                out.write(b);
                matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            }
            out.flush();
        }

        /** One whole client frame (masked, as clients send them), header included. */
        private byte[] readFrame(DataInputStream in) throws IOException {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            frame.write(first);
            frame.write(second);
            long length = second & 0x7F;
            int extended = length == 126 ? 2 : length == 127 ? 8 : 0;
            if (extended > 0) {
                length = 0;
                for (int i = 0; i < extended; i++) {
                    int b = in.readUnsignedByte();
                    frame.write(b);
                    length = length << 8 | b;
                }
            }
            int rest = Math.toIntExact(length + ((second & 0x80) != 0 ? 4 : 0));
            byte[] body = new byte[rest];
            in.readFully(body);
            frame.write(body);
            return frame.toByteArray();
        }

        void close() {
            try {
                client.close();
            } catch (IOException ignored) {
                // closed already
            }
            try {
                server.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }
}

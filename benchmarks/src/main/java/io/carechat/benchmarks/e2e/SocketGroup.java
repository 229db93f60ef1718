package io.carechat.benchmarks.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client sockets of one system under test: senders on one JDK HTTP client and receivers on
 * another, so each side has its own selector thread. Opens sockets in parallel and closes them all
 * at once. Thread-safe. Lifecycle: open sockets, then {@link #close()} once.
 */
final class SocketGroup implements AutoCloseable {
    private final HttpClient senderClient = HttpClient.newHttpClient();
    private final HttpClient receiverClient = HttpClient.newHttpClient();
    private final List<ClientSocket> open = new ArrayList<>();

    /** A socket to open: where, with which upgrade headers, handled how. */
    record Spec(URI uri, Map<String, String> headers, ClientSocket.Handler handler) {}

    /**
     * Opens the sockets, in parallel, and waits for all of them.
     *
     * @param specs what to open
     * @param receivers whether these are receivers (else senders)
     * @return the sockets, in the order of {@code specs}
     */
    List<ClientSocket> open(List<Spec> specs, boolean receivers) throws Exception {
        HttpClient client = receivers ? receiverClient : senderClient;
        List<CompletableFuture<ClientSocket>> pending = new ArrayList<>();
        for (Spec spec : specs) {
            pending.add(ClientSocket.connect(client, spec.uri(), spec.headers(), spec.handler()));
        }
        List<ClientSocket> sockets = new ArrayList<>();
        for (CompletableFuture<ClientSocket> socket : pending) {
            sockets.add(socket.get(30, TimeUnit.SECONDS));
        }
        synchronized (open) {
            open.addAll(sockets);
        }
        return sockets;
    }

    /** Aborts every socket. */
    @Override
    public void close() {
        synchronized (open) {
            open.forEach(ClientSocket::close);
            open.clear();
        }
    }
}

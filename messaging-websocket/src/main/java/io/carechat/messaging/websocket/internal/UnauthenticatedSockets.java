package io.carechat.messaging.websocket.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Counts the open sockets of each client address that have not authenticated yet, and refuses a
 * new one beyond the cap: a socket holds the server's resources until its authentication timeout
 * even without a token, so one address must not open them by the thousand. An address's count
 * exists only while it has such sockets, so memory is bounded by the sockets open.
 *
 * <p>Not API. Thread-safe. Lifecycle: one per server, for as long as it runs.
 */
public final class UnauthenticatedSockets {
    private final int maxPerAddress;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    /**
     * Creates the counter.
     *
     * @param maxPerAddress unauthenticated sockets one address may hold, at least 1
     */
    public UnauthenticatedSockets(int maxPerAddress) {
        if (maxPerAddress < 1) {
            throw new IllegalArgumentException("maxPerAddress must be at least 1");
        }
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * Counts a new socket of an address, unless the address holds the most allowed.
     *
     * @param address the client's address
     * @return the socket's place, to be {@link Place#leave() left} once it authenticates or closes;
     *     null when refused
     */
    public @Nullable Place enter(String address) {
        boolean[] admitted = {false};
        open.compute(address, (a, count) -> {
            int c = count == null ? 0 : count;
            if (c >= maxPerAddress) {
                return c;
            }
            admitted[0] = true;
            return c + 1;
        });
        return admitted[0] ? new Place(address) : null;
    }

    /** One counted socket; leaving it twice counts once. Thread-safe. */
    public final class Place {
        private final String address;
        private final AtomicBoolean left = new AtomicBoolean();

        private Place(String address) {
            this.address = address;
        }

        /** Stops counting the socket: it authenticated or closed. Idempotent. */
        public void leave() {
            if (left.compareAndSet(false, true)) {
                open.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
            }
        }
    }
}

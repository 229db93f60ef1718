package io.carechat.messaging.tck.transport;

import io.carechat.messaging.hub.Hub;

/**
 * What a transport adapter gives {@link TransportContract}: a way to put its server in front of a
 * hub. The adapter's test implements it in a few lines with the adapter's own builder.
 */
@FunctionalInterface
public interface TransportServer {
    /**
     * Starts the adapter's server for {@code hub} on {@code 127.0.0.1} and an ephemeral port, and
     * returns once it accepts connections.
     *
     * @param hub the hub every socket is handed to
     * @param settings the path, allowed origin and frame limit the server must apply
     * @return the running server, which the kit stops
     * @throws Exception when the server cannot start; the test fails
     */
    RunningTransport start(Hub hub, TransportSettings settings) throws Exception;
}

package io.carechat.messaging.tck.transport;

import java.time.Duration;

/** A transport adapter's server started by {@link TransportServer#start}, as the kit sees it. */
public interface RunningTransport {
    /**
     * The port it listens on, on {@code 127.0.0.1}.
     *
     * @return the port
     */
    int port();

    /**
     * Stops gracefully, as the contract requires of every transport: new upgrades are refused with
     * HTTP 503, every request the hub already had is answered, then each socket is closed with 1001
     * {@code server_shutdown}. Returns when done or when {@code grace} has passed. Called once.
     *
     * @param grace the longest wait for answers before closing anyway
     */
    void stop(Duration grace);
}

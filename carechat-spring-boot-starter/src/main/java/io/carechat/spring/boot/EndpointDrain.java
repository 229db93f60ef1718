package io.carechat.spring.boot;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.websocket.jakarta.CareChatEndpointConfig;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * Drains CareChat's sockets when the application context stops: refuses new upgrades, lets each
 * socket's hub session answer what it took, then closes it with 1001 {@code server_shutdown}.
 * It runs in the last lifecycle phase to start and so the first to stop, before the web server
 * stops, since a container's own stop closes sockets without a drain. Thread-safe.
 */
public final class EndpointDrain implements SmartLifecycle {

    private final CareChatEndpointConfig endpoint;
    private final Duration grace;
    private volatile boolean running;

    /**
     * @param endpoint the endpoint to drain
     * @param grace how long the drain may take
     */
    public EndpointDrain(CareChatEndpointConfig endpoint, Duration grace) {
        this.endpoint = requireNonNull(endpoint, "endpoint");
        this.grace = requireNonNull(grace, "grace");
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        endpoint.stop(grace);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}

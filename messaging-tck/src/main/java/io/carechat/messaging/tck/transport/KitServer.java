package io.carechat.messaging.tck.transport;

import io.carechat.messaging.Messaging;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.hub.Hub;
import io.carechat.messaging.hub.HubSettings;
import io.carechat.messaging.hub.VerifiedToken;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.MessagingLimits;
import io.carechat.messaging.model.Rate;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The core side of a transport test: in-memory storage and bus, the real facade and hub, and the
 * transport under test in front of them. Tokens are opaque strings mapped to verified tokens; the
 * hub's clock is an {@link OffsetClock}. Users: doctor {@code dr-house}, patient {@code pat-ann}.
 * One test makes one and closes it.
 */
final class KitServer implements AutoCloseable {
    static final UserId DOCTOR = UserId.of("dr-house");
    static final UserId PATIENT = UserId.of("pat-ann");

    final OffsetClock clock = new OffsetClock();
    final InMemoryStorage storage = new InMemoryStorage();
    final Messaging messaging;
    final Hub hub;
    final GatedExecutor workers;
    final RunningTransport transport;
    private final InMemoryEventBus bus = new InMemoryEventBus();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, VerifiedToken> tokens = new ConcurrentHashMap<>();
    private final Map<UserId, Set<Role>> roles = Map.of(DOCTOR, Set.of(Role.DOCTOR), PATIENT, Set.of(Role.PATIENT));
    private boolean stopped;

    KitServer(TransportServer server, TransportSettings transportSettings, HubSettings hubSettings) throws Exception {
        roles.forEach((id, held) -> storage.users().create(new User(id, id.value(), id.value() + "@example.org",
                "Name of " + id.value(), held, true, Instant.now()), "not-a-real-hash"));
        messaging = Messaging.builder()
                .storage(storage)
                .eventBus(bus)
                .limits(MessagingLimits.builder().sendRate(Rate.MAX, Rate.MAX).build())
                .auditSink(new InMemoryAuditSink())
                .keyProvider(StaticKeyProvider.generate("k1"))
                .build();
        workers = new GatedExecutor(pool);
        hub = Hub.builder()
                .messaging(messaging)
                .eventBus(bus)
                .tokenVerifier(this::verify)
                .scheduler(scheduler)
                .workers(workers)
                .settings(hubSettings)
                .clock(clock)
                .build();
        transport = server.start(hub, transportSettings);
    }

    private VerifiedToken verify(String token) {
        VerifiedToken verified = tokens.get(token);
        if (verified == null) {
            throw new UnauthenticatedException("the token is not valid");
        }
        return verified;
    }

    /** A fresh token of {@code user}, valid for {@code lifetime} on the hub's clock. */
    String token(UserId user, Duration lifetime) {
        String token = "t-" + UUID.randomUUID();
        tokens.put(token, new VerifiedToken(caller(user), clock.instant().plus(lifetime)));
        return token;
    }

    Caller caller(UserId user) {
        return Caller.of(user, roles.get(user));
    }

    /** Stops the transport gracefully; {@link #close()} then leaves it alone. */
    void stopTransport(Duration grace) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        transport.stop(grace);
    }

    @Override
    public void close() {
        workers.open();
        stopTransport(Duration.ofSeconds(2));
        hub.close();
        messaging.close();
        bus.close();
        pool.shutdownNow();
        scheduler.shutdownNow();
    }
}

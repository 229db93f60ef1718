package io.carechat.messaging.websocket.jakarta;

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
 * The real facade and hub on in-memory storage, for the Jakarta adapter's own tests. Tokens are
 * opaque strings mapped to verified tokens. Users: doctor {@code dr-house}, patient
 * {@code pat-ann}. One test makes one and closes it.
 */
final class LoopbackHub implements AutoCloseable {
    static final UserId DOCTOR = UserId.of("dr-house");
    static final UserId PATIENT = UserId.of("pat-ann");

    final Messaging messaging;
    final Hub hub;
    private final InMemoryEventBus bus = new InMemoryEventBus();
    private final ExecutorService workers = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, VerifiedToken> tokens = new ConcurrentHashMap<>();
    private final Map<UserId, Set<Role>> roles = Map.of(DOCTOR, Set.of(Role.DOCTOR), PATIENT, Set.of(Role.PATIENT));

    LoopbackHub() {
        InMemoryStorage storage = new InMemoryStorage();
        roles.forEach((id, held) -> storage.users().create(new User(id, id.value(), id.value() + "@example.org",
                "Name of " + id.value(), held, true, Instant.now()), "not-a-real-hash"));
        messaging = Messaging.builder()
                .storage(storage)
                .eventBus(bus)
                .auditSink(new InMemoryAuditSink())
                .keyProvider(StaticKeyProvider.generate("k1"))
                .build();
        hub = Hub.builder()
                .messaging(messaging)
                .eventBus(bus)
                .tokenVerifier(this::verify)
                .scheduler(scheduler)
                .workers(workers)
                .settings(HubSettings.builder().timerInterval(Duration.ofMillis(50)).build())
                .build();
    }

    private VerifiedToken verify(String token) {
        VerifiedToken verified = tokens.get(token);
        if (verified == null) {
            throw new UnauthenticatedException("the token is not valid");
        }
        return verified;
    }

    /** A fresh token of {@code user}, valid for 15 minutes. */
    String token(UserId user) {
        String token = "t-" + UUID.randomUUID();
        tokens.put(token, new VerifiedToken(Caller.of(user, roles.get(user)), Instant.now().plus(Duration.ofMinutes(15))));
        return token;
    }

    @Override
    public void close() {
        hub.close();
        messaging.close();
        bus.close();
        workers.shutdownNow();
        scheduler.shutdownNow();
    }
}

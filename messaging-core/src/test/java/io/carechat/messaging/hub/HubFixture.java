package io.carechat.messaging.hub;

import io.carechat.messaging.model.Caller;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.model.MessagingLimits;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.protocol.ProtocolCodec;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A hub on real in-memory storage, a real event bus and the real facade, with a test clock, a
 * token table standing in for JWTs, and workers that run on the calling thread so each test is
 * deterministic. Users: doctor {@code dr-house}, patients {@code pat-ann} and {@code pat-ben},
 * admin {@code adm-ada}.
 */
final class HubFixture implements AutoCloseable {
    static final UserId DOCTOR = UserId.of("dr-house");
    static final UserId ANN = UserId.of("pat-ann");
    static final UserId BEN = UserId.of("pat-ben");
    static final UserId ADMIN = UserId.of("adm-ada");
    static final ProtocolCodec CODEC = ProtocolCodec.withDefaults();

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T08:00:00Z"));
    final InMemoryStorage storage = new InMemoryStorage();
    final InMemoryEventBus bus = new InMemoryEventBus();
    final StaticKeyProvider keys = StaticKeyProvider.generate("k1");
    final Messaging messaging;
    final Hub hub;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, VerifiedToken> tokens = new ConcurrentHashMap<>();
    private final Map<UserId, Set<Role>> roles = Map.of(
            DOCTOR, Set.of(Role.DOCTOR), ANN, Set.of(Role.PATIENT), BEN, Set.of(Role.PATIENT),
            ADMIN, Set.of(Role.ADMIN));
    private final AtomicInteger connections = new AtomicInteger();
    volatile @Nullable RuntimeException verifierFailure;
    /** Users whose tokens the verifier reports revoked, as a logout on another node would. */
    final Set<UserId> revoked = ConcurrentHashMap.newKeySet();

    HubFixture() {
        this(HubSettings.builder().timerInterval(Duration.ofHours(1)).build(), Runnable::run);
    }

    HubFixture(HubSettings settings) {
        this(settings, Runnable::run);
    }

    HubFixture(HubSettings settings, Executor workers) {
        this(settings, workers, UnaryOperator.identity());
    }

    /** A hub whose facade sees the in-memory storage through {@code view}, such as a wrapper that holds appends. */
    HubFixture(HubSettings settings, Executor workers, UnaryOperator<MessagingStorage> view) {
        this(settings, workers, view, MessagingLimits.defaults());
    }

    /** A hub whose facade enforces these limits, such as lower rates. */
    HubFixture(HubSettings settings, MessagingLimits limits) {
        this(settings, Runnable::run, UnaryOperator.identity(), limits);
    }

    /** A hub whose facade records its meters on a registry. */
    HubFixture(io.micrometer.core.instrument.MeterRegistry registry) {
        this(HubSettings.builder().timerInterval(Duration.ofHours(1)).build(), Runnable::run,
                UnaryOperator.identity(), MessagingLimits.defaults(), b -> b.meterRegistry(registry));
    }

    private HubFixture(HubSettings settings, Executor workers, UnaryOperator<MessagingStorage> view,
            MessagingLimits limits) {
        this(settings, workers, view, limits, UnaryOperator.identity());
    }

    private HubFixture(HubSettings settings, Executor workers, UnaryOperator<MessagingStorage> view,
            MessagingLimits limits, UnaryOperator<Messaging.Builder> configure) {
        roles.forEach((id, held) -> storage.users().create(new User(id, id.value(), id.value() + "@example.org",
                "Name of " + id.value(), held, true, clock.instant()), "not-a-real-hash"));
        messaging = configure.apply(Messaging.builder().storage(view.apply(storage)).eventBus(bus).clock(clock)
                .limits(limits).auditSink(new InMemoryAuditSink()).keyProvider(keys)).build();
        hub = Hub.builder()
                .messaging(messaging)
                .eventBus(bus)
                .tokenVerifier(new TokenVerifier() {
                    @Override
                    public VerifiedToken verify(String token) {
                        return HubFixture.this.verify(token);
                    }

                    @Override
                    public boolean isRevoked(VerifiedToken token) {
                        return revoked.contains(token.caller().userId());
                    }
                })
                .scheduler(scheduler)
                .workers(workers)
                .settings(settings)
                .clock(clock)
                .build();
    }

    private VerifiedToken verify(String token) {
        RuntimeException failure = verifierFailure;
        if (failure != null) {
            throw failure;
        }
        VerifiedToken verified = tokens.get(token);
        if (verified == null) {
            throw new UnauthenticatedException("the token is not valid");
        }
        return verified;
    }

    String token(UserId user, Duration lifetime) {
        String token = UUID.randomUUID().toString();
        tokens.put(token, new VerifiedToken(Caller.of(user, roles.get(user)), clock.instant().plus(lifetime)));
        return token;
    }

    String token(UserId user) {
        return token(user, Duration.ofMinutes(15));
    }

    /** A token whose roles claim differs from the user's stored roles. */
    String tokenClaiming(UserId user, Set<Role> claimed) {
        String token = UUID.randomUUID().toString();
        tokens.put(token, new VerifiedToken(Caller.of(user, claimed), clock.instant(),
                clock.instant().plus(Duration.ofMinutes(15))));
        return token;
    }

    Caller caller(UserId user) {
        return Caller.of(user, roles.get(user));
    }

    /** Opens a socket authenticated by header. */
    Client connect(UserId user) {
        return open(token(user));
    }

    /** Opens a socket with the given bearer token, or none. */
    Client open(@Nullable String bearerToken) {
        RecordingConnection connection = new RecordingConnection("c" + connections.incrementAndGet());
        HubSession session = hub.open(connection, bearerToken);
        connection.attach(session);
        return new Client(connection, session);
    }

    void tick() {
        hub.checkDeadlines();
    }

    @Override
    public void close() {
        hub.close();
        messaging.close();
        bus.close();
        scheduler.shutdownNow();
    }

    /** A socket as the test drives it. */
    record Client(RecordingConnection connection, HubSession session) {
        void send(String text) {
            session.onText(text);
        }

        void sendFrame(io.carechat.messaging.protocol.ClientFrame frame) {
            session.onText(CODEC.encode(frame));
        }
    }
}

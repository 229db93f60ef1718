package io.carechat.messaging.websocket;

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
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.tck.transport.OffsetClock;
import io.carechat.messaging.websocket.client.CareChatClient;
import io.carechat.messaging.websocket.client.CareChatListener;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;

/**
 * A real CareChat server on loopback for tests: in-memory storage and event bus, the real facade
 * and hub, and the WebSocket server on an ephemeral port. Tokens are opaque strings mapped to
 * verified tokens (the JWT service is not needed to test the transport). The hub's clock follows
 * the system clock plus an offset the test can move, so token expiry is tested without waiting.
 * Users: doctors {@code dr-house} and {@code dr-wilson}, patients {@code pat-ann} and
 * {@code pat-ben}.
 */
final class ChatServer implements AutoCloseable {
    static final UserId DOCTOR = UserId.of("dr-house");
    static final UserId OTHER_DOCTOR = UserId.of("dr-wilson");
    static final UserId ANN = UserId.of("pat-ann");
    static final UserId BEN = UserId.of("pat-ben");
    static final String ALLOWED_ORIGIN = "https://chat.hospital.example";

    final OffsetClock clock = new OffsetClock();
    final InMemoryStorage storage = new InMemoryStorage();
    final HookedStorage hookedStorage = new HookedStorage(storage);
    final InMemoryEventBus bus = new InMemoryEventBus();
    final Messaging messaging;
    final Hub hub;
    final CareChatWebSocketServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, VerifiedToken> tokens = new ConcurrentHashMap<>();
    private final Map<UserId, Set<Role>> roles = Map.of(DOCTOR, Set.of(Role.DOCTOR), OTHER_DOCTOR,
            Set.of(Role.DOCTOR), ANN, Set.of(Role.PATIENT), BEN, Set.of(Role.PATIENT));
    private final List<CareChatClient> clients = new ArrayList<>();
    /** The log context's trace id each token verification ran with (empty text for none), in order. */
    final List<String> traceIdsAtVerification = new java.util.concurrent.CopyOnWriteArrayList<>();

    ChatServer() {
        this(HubSettings.builder().timerInterval(Duration.ofMillis(50)).build());
    }

    ChatServer(HubSettings settings) {
        this(settings, UnaryOperator.identity());
    }

    ChatServer(HubSettings settings, UnaryOperator<CareChatWebSocketServer.Builder> configure) {
        this(settings, MessagingLimits.defaults(), configure);
    }

    /** A server whose facade enforces these limits, such as other send rates. */
    ChatServer(HubSettings settings, MessagingLimits limits) {
        this(settings, limits, UnaryOperator.identity());
    }

    private ChatServer(HubSettings settings, MessagingLimits limits,
            UnaryOperator<CareChatWebSocketServer.Builder> configure) {
        roles.forEach((id, held) -> storage.users().create(new User(id, id.value(), id.value() + "@example.org",
                "Name of " + id.value(), held, true, Instant.now()), "not-a-real-hash"));
        messaging = Messaging.builder().storage(hookedStorage).eventBus(bus).limits(limits).auditSink(new InMemoryAuditSink())
                .keyProvider(StaticKeyProvider.generate("k1")).build();
        hub = Hub.builder()
                .messaging(messaging)
                .eventBus(bus)
                .tokenVerifier(this::verify)
                .scheduler(scheduler)
                .workers(workers)
                .settings(settings)
                .clock(clock)
                .build();
        server = configure.apply(CareChatWebSocketServer.builder()
                        .host("127.0.0.1")
                        .port(0)
                        .hub(hub)
                        .allowOrigin(ALLOWED_ORIGIN)
                        .daemon(true))
                .build();
        server.start();
    }

    private VerifiedToken verify(String token) {
        String traceId = org.slf4j.MDC.get(io.carechat.messaging.logging.LogContext.TRACE_ID);
        traceIdsAtVerification.add(traceId == null ? "" : traceId);
        VerifiedToken verified = tokens.get(token);
        if (verified == null) {
            throw new UnauthenticatedException("the token is not valid");
        }
        return verified;
    }

    String token(UserId user) {
        return token(user, Duration.ofMinutes(15));
    }

    String token(UserId user, Duration lifetime) {
        String token = "t-" + UUID.randomUUID();
        tokens.put(token, new VerifiedToken(caller(user), clock.instant().plus(lifetime)));
        return token;
    }

    Caller caller(UserId user) {
        return Caller.of(user, roles.get(user));
    }

    int port() {
        return server.port();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + port() + "/ws");
    }

    /** A connected client of a user, closed with the server. */
    CareChatClient connect(UserId user, CareChatListener listener) {
        CareChatClient client = client(user, listener, b -> b);
        Await.done(client.connect());
        return client;
    }

    /** A client of a user, not yet connected, closed with the server. */
    CareChatClient client(UserId user, CareChatListener listener, UnaryOperator<CareChatClient.Builder> configure) {
        CareChatClient client = configure.apply(CareChatClient.builder()
                        .uri(uri())
                        .tokenSupplier(() -> token(user))
                        .listener(listener)
                        .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                        .requestTimeout(Duration.ofSeconds(10)))
                .build();
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    @Override
    public void close() {
        synchronized (clients) {
            clients.forEach(CareChatClient::close);
        }
        server.stop(Duration.ofSeconds(2));
        hub.close();
        messaging.close();
        bus.close();
        workers.shutdownNow();
        scheduler.shutdownNow();
    }
}

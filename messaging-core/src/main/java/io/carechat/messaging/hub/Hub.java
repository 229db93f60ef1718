package io.carechat.messaging.hub;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.Messaging;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.event.BreakGlassGranted;
import io.carechat.messaging.event.ConversationEscalated;
import io.carechat.messaging.event.MembersChanged;
import io.carechat.messaging.event.MessageCommitted;
import io.carechat.messaging.event.MessageRecalled;
import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.event.PresenceChanged;
import io.carechat.messaging.event.ReceiptAdvanced;
import io.carechat.messaging.event.Resync;
import io.carechat.messaging.event.RoleRequested;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.event.TypingStarted;
import io.carechat.messaging.metrics.MessagingMetrics;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.ReceiptKind;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UnreadCounts;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.protocol.ProtocolCodec;
import io.carechat.messaging.protocol.ProtocolLimits;
import io.carechat.messaging.protocol.ServerFrame;
import io.carechat.messaging.spi.EventBus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real-time hub: every live socket of this node, whatever the transport, as a session of an
 * authenticated user. It authenticates sessions, serves their requests through the
 * {@link Messaging} facade, pushes the backlog after {@code ready}, fans committed events out to
 * the sessions that may see them, and enforces every limit of {@link HubSettings}. The choices the
 * contract leaves open are written down in {@code docs/protocol.md}.
 *
 * <p>Threads: {@link HubSession#onText(String)} and {@link HubSession#onClose()} return at once on
 * the transport's thread; each session's frames are served one at a time, in order, on the worker
 * executor; events are routed on the bus's delivery thread without blocking (facade calls they
 * need go to the workers); on a {@link Resync} every live session gets its backlog again, read on
 * the workers; deadlines are checked on the scheduler every
 * {@link HubSettings#timerInterval()} against the injected clock, among them each request's
 * {@link HubSettings#requestDeadline()}: a request still unanswered then, such as a send while
 * storage cannot serve, is answered {@code error unavailable} from the scheduler, so no client
 * waits on a worker that waits on storage.
 *
 * <p>Presence: a user's first session on this hub sets them {@code available}; when their last
 * session here closes the hub publishes {@link PresenceChanged} {@code offline} on the event bus
 * (the facade only lets users set the other states). With several nodes, a user online on another
 * node is shown offline until they set a status again.
 *
 * <p>Thread-safe. Lifecycle: build it once with {@link #builder()} (it subscribes to the facade
 * and starts its timer), and {@link #close()} it before closing the facade; it does not own the
 * executors, the facade or the bus.
 */
public final class Hub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

    final Messaging messaging;
    final TokenVerifier verifier;
    final HubSettings settings;
    final Clock clock;
    final Executor workers;
    final ProtocolCodec codec;
    final SessionRegistry registry = new SessionRegistry();
    private final EventBus eventBus;
    private final Set<LiveSession> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Router router = new Router();
    private final EventBus.Subscription subscription;
    private final ScheduledFuture<?> timer;
    final MessagingMetrics metrics;

    private Hub(Builder b, Messaging messaging, TokenVerifier verifier, EventBus eventBus,
            ScheduledExecutorService scheduler, Executor workers) {
        this.messaging = messaging;
        this.verifier = verifier;
        this.eventBus = eventBus;
        this.workers = workers;
        this.settings = b.settings;
        this.clock = b.clock != null ? b.clock : messaging.clock();
        this.codec = b.codec != null ? b.codec : new ProtocolCodec(ProtocolLimits.from(messaging.limits()));
        this.metrics = messaging.metrics();
        metrics.watchHub(open::size, registry::count);
        this.subscription = messaging.subscribe(this::route);
        long tick = settings.timerInterval().toNanos();
        this.timer = scheduler.scheduleWithFixedDelay(this::checkDeadlines, tick, tick, TimeUnit.NANOSECONDS);
    }

    /**
     * Starts configuring a hub.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a session for a new socket. Returns at once; authentication runs on the workers. The
     * hub may close the connection before this returns (when the hub is closed, or when the
     * workers run on the calling thread and refuse the header's token); the session is then
     * already over and ignores what the transport hands it.
     *
     * @param connection the socket
     * @param bearerToken the token from the upgrade request's {@code Authorization: Bearer} header,
     *     or null when the client will send an {@code auth} frame
     * @return the session the transport feeds frames and the close to
     */
    public HubSession open(Connection connection, @Nullable String bearerToken) {
        requireNonNull(connection, "connection");
        LiveSession session = new LiveSession(this, connection, requireNonNull(connection.id(), "connection.id()"));
        open.add(session);
        if (closed.get()) {
            session.closeWith(CloseCodes.GOING_AWAY, "server_shutdown");
            return session;
        }
        if (bearerToken != null) {
            session.authenticateByHeader(bearerToken);
        }
        return session;
    }

    /**
     * How many sockets are open on this hub, authenticated or not.
     *
     * @return the count
     */
    public int openSessions() {
        return open.size();
    }

    /**
     * Tells whether a user has an authenticated session on this hub.
     *
     * @param userId the user
     * @return true when online here
     */
    public boolean isOnline(UserId userId) {
        return registry.isOnline(requireNonNull(userId, "userId"));
    }

    /**
     * Closes every session with 1001 {@code server_shutdown}, stops the timer and unsubscribes,
     * then publishes {@code offline} for the users who were online here, on the calling thread
     * (call it before closing the event bus). Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            timer.cancel(false);
            subscription.close();
            Set<UserId> online = new java.util.HashSet<>();
            for (LiveSession session : registry.all()) {
                Caller caller = session.caller();
                if (caller != null) {
                    online.add(caller.userId());
                }
            }
            for (LiveSession session : List.copyOf(open)) {
                session.closeWith(CloseCodes.GOING_AWAY, "server_shutdown");
            }
            for (UserId user : online) {
                publishOffline(user);
            }
        }
    }

    /** Checks every session's deadlines against the clock; runs on the scheduler. */
    void checkDeadlines() {
        try {
            Instant now = clock.instant();
            for (LiveSession session : List.copyOf(open)) {
                session.inLogContext(() -> session.checkDeadlines(now));
            }
        } catch (RuntimeException e) {
            LOG.error("checking session deadlines failed ({})", e.getClass().getName());
        }
    }

    /** Forgets a closed session; publishes offline when it was its user's last one here. */
    void detach(LiveSession session, @Nullable Caller caller) {
        open.remove(session);
        if (caller == null) {
            return;
        }
        UserId user = caller.userId();
        if (registry.remove(user, session) == SessionRegistry.Removal.LAST) {
            if (!closed.get()) {
                runOnWorkers(() -> {
                    if (!registry.isOnline(user)) {
                        publishOffline(user);
                    }
                });
            }
        }
    }

    private void publishOffline(UserId user) {
        try {
            eventBus.publish(new PresenceChanged(user, Presence.OFFLINE, messaging.nodeId()));
        } catch (RuntimeException e) {
            LOG.debug("could not publish offline presence ({})", e.getClass().getName());
        }
    }

    /** Runs a task on the workers; drops it when they are shut down. */
    void runOnWorkers(Runnable task) {
        try {
            workers.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("a hub task failed ({})", e.getClass().getName());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("the worker pool is shut down; a hub task was dropped");
        }
    }

    // ---------------------------------------------------------------- fan-out

    private void route(MessagingEvent event) {
        event.accept(router);
    }

    /** Pushes each kind of event to the sessions that may see it; runs on the bus's delivery thread. */
    private final class Router implements MessagingEvent.Visitor<Void> {

        @Override
        public Void visitMessageCommitted(MessageCommitted e) {
            Message message = e.message().orElseThrow(
                    () -> new IllegalStateException("the facade hands its subscribers committed messages opened"));
            metrics.busDelivered(Duration.between(message.sentAt(), clock.instant()).toNanos());
            OutgoingMessage outgoing = new OutgoingMessage(message, codec);
            int sockets = 0;
            for (UserId member : e.memberIds()) {
                for (LiveSession session : registry.sessionsOf(member)) {
                    session.seeUsers(e.memberIds());
                    session.pushMessage(outgoing);
                    sockets++;
                }
            }
            for (UserId holder : breakGlassHolders(e.conversationId(), e.memberIds())) {
                for (LiveSession session : registry.sessionsOf(holder)) {
                    session.pushMessage(outgoing);
                    sockets++;
                }
            }
            metrics.fannedOut(sockets);
            return null;
        }

        @Override
        public Void visitReceiptAdvanced(ReceiptAdvanced e) {
            String receipt = codec.encode(ServerFrame.Receipt.of(e.receipt()));
            UserId reader = e.receipt().userId();
            for (UserId member : e.memberIds()) {
                if (!member.equals(reader)) {
                    registry.sessionsOf(member).forEach(s -> s.pushText(receipt));
                }
            }
            if (e.receipt().kind() == ReceiptKind.READ) {
                pushUnread(reader, e);
            }
            return null;
        }

        @Override
        public Void visitTypingStarted(TypingStarted e) {
            String typing = codec.encode(new ServerFrame.Typing(e.conversationId(), e.userId()));
            for (UserId member : e.memberIds()) {
                if (!member.equals(e.userId())) {
                    registry.sessionsOf(member).forEach(s -> s.pushText(typing));
                }
            }
            for (UserId holder : breakGlassHolders(e.conversationId(), e.memberIds())) {
                if (!holder.equals(e.userId())) {
                    registry.sessionsOf(holder).forEach(s -> s.pushText(typing));
                }
            }
            return null;
        }

        @Override
        public Void visitPresenceChanged(PresenceChanged e) {
            // The availability shown: the user may still be on another node after this one's change.
            String presence = codec.encode(new ServerFrame.Presence(e.userId(), messaging.presence(e.userId())));
            for (LiveSession session : registry.all()) {
                if (session.maySee(e.userId())) {
                    session.pushText(presence);
                }
            }
            return null;
        }

        /** Admins are told by their stored roles, read on the workers, never by their tokens'. */
        @Override
        public Void visitRoleRequested(RoleRequested e) {
            pushToAdmins(codec.encode(ServerFrame.Notice.of(e.request())));
            return null;
        }

        /** Like a role request's notice: to admins by their stored roles, read on the workers. */
        @Override
        public Void visitBreakGlassGranted(BreakGlassGranted e) {
            pushToAdmins(codec.encode(new ServerFrame.BreakGlassNotice(e.grantId(), e.conversationId(),
                    e.doctorId(), e.grantedAt(), e.expiresAt())));
            return null;
        }

        /** Each on-call doctor's sessions here, by the ids the event names. */
        @Override
        public Void visitConversationEscalated(ConversationEscalated e) {
            String notice = codec.encode(new ServerFrame.EscalationNotice(e.conversationId(), e.seq()));
            for (UserId doctor : e.doctorIds()) {
                registry.sessionsOf(doctor).forEach(s -> s.pushText(notice));
            }
            return null;
        }

        @Override
        public Void visitSessionsRevoked(SessionsRevoked e) {
            String reason = switch (e.reason()) {
                case LOGOUT -> "logged_out";
                case DISABLED -> "account_disabled";
                case ROLES_CHANGED -> "roles_changed";
            };
            for (LiveSession session : registry.sessionsOf(e.userId())) {
                session.closeWith(CloseCodes.UNAUTHENTICATED, reason);
            }
            return null;
        }

        /** Every member's sessions, and the removed member's, get the group's members now. */
        @Override
        public Void visitMembersChanged(MembersChanged e) {
            String members = codec.encode(new ServerFrame.Members(e.conversationId(), e.members()));
            List<UserId> memberIds = e.memberIds();
            for (UserId user : e.audience()) {
                for (LiveSession session : registry.sessionsOf(user)) {
                    if (memberIds.contains(user)) {
                        session.seeUsers(memberIds);
                    }
                    session.pushText(members);
                }
            }
            return null;
        }

        @Override
        public Void visitResync(Resync e) {
            metrics.busCatchUp();
            for (LiveSession session : registry.all()) {
                session.resync();
            }
            return null;
        }

        /** Every member's every socket, the sender's included, so their other devices follow. */
        @Override
        public Void visitMessageRecalled(MessageRecalled e) {
            String recalled = codec.encode(new ServerFrame.Recalled(e.conversationId(), e.seq(), e.recalledAt()));
            for (UserId member : e.memberIds()) {
                registry.sessionsOf(member).forEach(s -> s.pushText(recalled));
            }
            return null;
        }
    }

    /**
     * Pushes a frame to the sessions here of users whose stored roles hold ADMIN, never judged by
     * their tokens; the role check runs on the workers.
     */
    private void pushToAdmins(String frame) {
        Set<UserId> online = new LinkedHashSet<>();
        for (LiveSession session : registry.all()) {
            Caller caller = session.caller();
            if (caller != null) {
                online.add(caller.userId());
            }
        }
        if (online.isEmpty()) {
            return;
        }
        runOnWorkers(() -> {
            for (UserId admin : messaging.holdingRole(List.copyOf(online), Role.ADMIN)) {
                registry.sessionsOf(admin).forEach(s -> s.pushText(frame));
            }
        });
    }

    /**
     * The holders of an active break-glass grant on a conversation who are not among its members:
     * they get its messages and typing while the grant lasts, judged at each event from memory.
     */
    private List<UserId> breakGlassHolders(ConversationId conversationId, List<UserId> members) {
        List<UserId> holders = messaging.breakGlassHolders(conversationId);
        if (holders.isEmpty()) {
            return holders;
        }
        return holders.stream().filter(h -> !members.contains(h)).toList();
    }

    /** Sends the reader's sessions their new unread counts; the facade call runs on the workers. */
    private void pushUnread(UserId reader, ReceiptAdvanced e) {
        List<LiveSession> sessions = registry.sessionsOf(reader);
        if (sessions.isEmpty()) {
            return;
        }
        Caller caller = sessions.get(0).caller();
        if (caller == null) {
            return;
        }
        runOnWorkers(() -> {
            UnreadCounts counts = messaging.unread(caller);
            ServerFrame unread = new ServerFrame.Unread(
                    e.receipt().conversationId(), counts.of(e.receipt().conversationId()), counts.total());
            registry.sessionsOf(reader).forEach(s -> s.push(unread));
        });
    }

    /**
     * Configures and builds a {@link Hub}. Not thread-safe; use from one thread.
     */
    public static final class Builder {
        private @Nullable Messaging messaging;
        private @Nullable TokenVerifier verifier;
        private @Nullable EventBus eventBus;
        private @Nullable ScheduledExecutorService scheduler;
        private @Nullable Executor workers;
        private HubSettings settings = HubSettings.defaults();
        private @Nullable Clock clock;
        private @Nullable ProtocolCodec codec;

        private Builder() {}

        /**
         * Sets the facade that serves requests and whose events the hub fans out. Required.
         *
         * @param value the facade
         * @return this builder
         */
        public Builder messaging(Messaging value) {
            this.messaging = requireNonNull(value, "messaging");
            return this;
        }

        /**
         * Sets how access tokens are checked. Required.
         *
         * @param value the verifier
         * @return this builder
         */
        public Builder tokenVerifier(TokenVerifier value) {
            this.verifier = requireNonNull(value, "tokenVerifier");
            return this;
        }

        /**
         * Sets the event bus the facade was built with; the hub publishes {@code offline} presence
         * on it. Required.
         *
         * @param value the bus
         * @return this builder
         */
        public Builder eventBus(EventBus value) {
            this.eventBus = requireNonNull(value, "eventBus");
            return this;
        }

        /**
         * Sets the scheduler for the hub's timer. Required; the hub does not shut it down.
         *
         * @param value the scheduler
         * @return this builder
         */
        public Builder scheduler(ScheduledExecutorService value) {
            this.scheduler = requireNonNull(value, "scheduler");
            return this;
        }

        /**
         * Sets the executor that runs facade calls and token checks. Required; the hub does not
         * shut it down. A bounded pool sized for the storage's connections fits.
         *
         * @param value the executor
         * @return this builder
         */
        public Builder workers(Executor value) {
            this.workers = requireNonNull(value, "workers");
            return this;
        }

        /**
         * Replaces the default settings.
         *
         * @param value the settings
         * @return this builder
         */
        public Builder settings(HubSettings value) {
            this.settings = requireNonNull(value, "settings");
            return this;
        }

        /**
         * Sets the clock for deadlines; the default is the facade's clock.
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = requireNonNull(value, "clock");
            return this;
        }

        /**
         * Replaces the codec; the default enforces {@link ProtocolLimits#from} the facade's
         * limits.
         *
         * @param value the codec
         * @return this builder
         */
        public Builder codec(ProtocolCodec value) {
            this.codec = requireNonNull(value, "codec");
            return this;
        }

        /**
         * Checks the configuration and builds the hub, which subscribes to the facade's events
         * and starts its timer at once.
         *
         * @return the hub
         * @throws ConfigurationException listing every missing part
         */
        public Hub build() {
            List<String> problems = new ArrayList<>();
            require(problems, messaging, "messaging");
            require(problems, verifier, "tokenVerifier");
            require(problems, eventBus, "eventBus");
            require(problems, scheduler, "scheduler");
            require(problems, workers, "workers");
            if (messaging == null || verifier == null || eventBus == null || scheduler == null || workers == null) {
                throw new ConfigurationException("Hub", problems);
            }
            return new Hub(this, messaging, verifier, eventBus, scheduler, workers);
        }

        private static void require(List<String> problems, @Nullable Object value, String name) {
            if (value == null) {
                problems.add(name + " is required");
            }
        }
    }
}

package io.carechat.messaging.hub;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.error.MessagingException;
import io.carechat.messaging.error.RateLimitedException;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.logging.LogContext;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Contact;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationOverview;
import io.carechat.messaging.model.ConversationSummary;
import io.carechat.messaging.model.HistoryPage;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.protocol.ClientFrame;
import io.carechat.messaging.protocol.ContactView;
import io.carechat.messaging.protocol.ConversationView;
import io.carechat.messaging.protocol.FrameException;
import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.protocol.ServerFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket's session: its authentication, its in-order request queue, and its outbound path
 * with the slow-consumer bound. While the session starts (between authentication and the end of
 * the backlog) pushes are held back, then sent after the backlog without the messages the backlog
 * already carried, so nothing comes before {@code ready}, nothing twice and nothing is lost. A
 * catch-up after a {@link io.carechat.messaging.event.Resync} holds live pushes back the same way,
 * so messages the bus missed and those it delivered after reach the socket in seq order.
 * Each conversation's messages go out in seq order even when the bus brings them out of order or
 * misses one: a copy the socket already has is dropped, and a message that does not follow the
 * last one sent starts a catch-up (the store has the missing ones, since seqs commit in order)
 * and waits behind it.
 * A drain puts a mark on the request queue; once the mark's turn among the answers comes, every
 * frame taken before it was answered.
 *
 * <p>Thread-safe: state is atomic or guarded by {@code outbound}, a lock held only around queue
 * bookkeeping and {@link Connection#send(String)}, never while closing the connection, calling the
 * facade or publishing. Lifecycle: made by {@link Hub#open(Connection, String)}, over once closed
 * by either side.
 */
final class LiveSession implements HubSession {
    private static final Logger LOG = LoggerFactory.getLogger(LiveSession.class);
    /** How many message ids acknowledged by {@code sent} a session remembers, to skip their echo. */
    private static final int ACKED_MEMORY = 256;
    /**
     * How many catch-ups in a row a gap in a conversation's seqs may start before what is held
     * goes out regardless: the store had none of the missing seqs (a gap no read can fill).
     */
    private static final int GAP_CATCH_UPS = 2;

    /**
     * Where the session is. While {@code STARTING} (the start-up backlog) and {@code CATCHING_UP}
     * (re-reading the store after a {@link io.carechat.messaging.event.Resync}) live pushes are held
     * back, then sent after what the store gave, without what it already carried, so each
     * conversation's messages reach the socket in seq order. While {@code REORDERING} a message
     * that does not follow the last one sent waits, with what came after it, for the missing ones.
     */
    private enum Phase { AWAITING_AUTH, STARTING, LIVE, REORDERING, CATCHING_UP, CLOSED }

    /** What sending the held pushes came to. */
    private enum Flush { DONE, GAP, OVERFLOW }

    /**
     * A push held back: its text (null for this socket's own send, which only moves the
     * conversation's seq on), and for a message its conversation and seq.
     */
    private record Held(@Nullable String text, @Nullable ConversationId conversationId, long seq) {}

    private final Hub hub;
    private final Connection connection;
    private final String id;
    private final SerialExecutor requests;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong requestNumbers = new AtomicLong();
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.AWAITING_AUTH);
    private final Instant openedAt;
    private final Set<UserId> visible = ConcurrentHashMap.newKeySet();
    private volatile @Nullable Caller caller;
    private volatile @Nullable VerifiedToken token;
    private volatile Instant tokenExpiresAt = Instant.MAX;
    private volatile Instant lastActivity;

    private final Object outbound = new Object();
    private final List<Held> held = new ArrayList<>();
    private long heldBytes;
    /** Per conversation, the highest seq this socket has: sent to it, or its own send. */
    private final Map<ConversationId, Long> sentTop = new HashMap<>();
    /** Catch-ups in a row that a gap in held seqs started; guarded by {@code outbound}. */
    private int gapCatchUps;
    /** Since when a gap holds pushes back ({@code REORDERING}); null otherwise. Read by the timer. */
    private volatile @Nullable Instant gapSince;
    private final Set<String> inFlightClientMsgIds = new HashSet<>();
    private final ArrayDeque<AnswerSlot> answers = new ArrayDeque<>();
    private final Set<MessageId> ackedHere = new LinkedHashSet<>();

    private final AtomicBoolean draining = new AtomicBoolean();
    /** A catch-up waits on the request queue; more resyncs meanwhile need no catch-up of their own. */
    private final AtomicBoolean catchUpQueued = new AtomicBoolean();
    /** When a failed catch-up is tried again; null when none failed. Read by the timer. */
    private volatile @Nullable Instant catchUpRetryAt;
    /** Catch-ups failed in a row; touched only on the request queue. */
    private int catchUpFailures;
    /**
     * Whether the last catch-up failed for want of storage, so its retry may fill a gap later;
     * otherwise (a message that cannot be opened) no retry will. Read by the timer.
     */
    private volatile boolean catchUpMayRecover;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    /** Set by the drain mark on the request queue: frames queued after it are dropped. */
    private volatile boolean drainMarkPassed;

    LiveSession(Hub hub, Connection connection, String id) {
        this.hub = hub;
        this.connection = connection;
        this.id = id;
        this.requests = new SerialExecutor(hub.workers, this::inLogContext);
        this.openedAt = hub.clock.instant();
        this.lastActivity = openedAt;
    }

    // ---------------------------------------------------------------- transport calls

    @Override
    public void onText(String text) {
        if (text == null || isClosed() || draining.get()) {
            return;
        }
        if (pending.incrementAndGet() > hub.settings.maxPendingRequests()) {
            pending.decrementAndGet();
            refuseOverflow(text);
            return;
        }
        Instant arrived = hub.clock.instant();
        try {
            requests.execute(() -> {
                try {
                    serve(text, arrived);
                } finally {
                    pending.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            pending.decrementAndGet();
            closeWith(CloseCodes.GOING_AWAY, "server_shutdown");
        }
    }

    @Override
    public CompletionStage<Void> drain() {
        if (draining.compareAndSet(false, true)) {
            if (isClosed()) {
                drained.complete(null);
            } else {
                try {
                    requests.execute(this::passDrainMark);
                } catch (RejectedExecutionException e) {
                    // The workers are shut down: nothing queued will be answered any more.
                    drained.complete(null);
                }
            }
        }
        return drained.minimalCompletionStage();
    }

    @Override
    public void onClose() {
        inLogContext(() -> {
            if (phase.getAndSet(Phase.CLOSED) != Phase.CLOSED) {
                hub.detach(this, caller);
                LOG.debug("session {} closed by the transport", id);
            }
        });
        drained.complete(null);
    }

    /**
     * Runs work with this socket's ids in the log MDC: its id, the user's id once authenticated,
     * and the trace id of the upgrade's {@code traceparent}.
     */
    void inLogContext(Runnable work) {
        Caller c = caller;
        LogContext.Scope scope = LogContext.socket(id, c == null ? null : c.userId().value(), connection.traceId());
        try {
            work.run();
        } finally {
            scope.close();
        }
    }

    void authenticateByHeader(String token) {
        try {
            requests.execute(() -> authenticate(null, token));
        } catch (RejectedExecutionException e) {
            closeWith(CloseCodes.GOING_AWAY, "server_shutdown");
        }
    }

    // ---------------------------------------------------------------- state for the hub

    boolean isClosed() {
        return phase.get() == Phase.CLOSED;
    }

    @Nullable Caller caller() {
        return caller;
    }

    boolean maySee(UserId user) {
        return visible.contains(user);
    }

    void seeUsers(Collection<UserId> users) {
        Caller c = caller;
        for (UserId user : users) {
            if (c == null || !user.equals(c.userId())) {
                visible.add(user);
            }
        }
    }

    /**
     * Queues a catch-up after a {@link io.carechat.messaging.event.Resync}: on this session's
     * request queue, so it runs after start-up and between requests, never on the bus's thread.
     * Resyncs that come while a catch-up still waits in the queue join it: one catch-up reads
     * everything they would, and a flapping bus link cannot stack catch-ups in front of requests.
     */
    void resync() {
        if (isClosed() || !catchUpQueued.compareAndSet(false, true)) {
            return;
        }
        holdLivePushes();
        try {
            requests.execute(() -> {
                catchUpQueued.set(false);
                pushBacklogAgain();
            });
        } catch (RejectedExecutionException e) {
            catchUpQueued.set(false);
            goLive();
            LOG.debug("session {}: the worker pool is shut down; no catch-up", id);
        }
    }

    /** From now until the catch-up ends, live pushes wait behind what the store gives. */
    private void holdLivePushes() {
        synchronized (outbound) {
            if (!phase.compareAndSet(Phase.LIVE, Phase.CATCHING_UP)) {
                phase.compareAndSet(Phase.REORDERING, Phase.CATCHING_UP);
            }
        }
    }

    /** Closes the socket with a code and reason, once; the transport's later onClose is a no-op. */
    void closeWith(int code, String reason) {
        if (phase.getAndSet(Phase.CLOSED) != Phase.CLOSED) {
            hub.metrics.socketClosed(reason);
            hub.detach(this, caller);
            LOG.debug("session {} closing with {} {}", id, code, reason);
            connection.close(code, reason);
        }
        drained.complete(null);
    }

    void checkDeadlines(Instant now) {
        Phase p = phase.get();
        if (p == Phase.AWAITING_AUTH) {
            if (!now.isBefore(openedAt.plus(hub.settings.authTimeout()))) {
                closeWith(CloseCodes.AUTH_TIMEOUT, "auth_timeout");
            }
        } else if (p != Phase.CLOSED) {
            if (!now.isBefore(tokenExpiresAt)) {
                closeWith(CloseCodes.UNAUTHENTICATED, "token_expired");
            } else if (hub.settings.idleLogoff() && !now.isBefore(lastActivity.plus(hub.settings.idleTimeout()))) {
                closeWith(CloseCodes.UNAUTHENTICATED, "idle_timeout");
            } else {
                answerOverdue(now);
                retryCatchUpWhenDue(now);
                closeGapWhenDue(now);
            }
        }
    }

    /**
     * Reads the store for the messages a gap waits for, once it has waited {@code gapWait}; after
     * {@link #GAP_CATCH_UPS} such reads that did not fill it, sends what is held regardless.
     */
    private void closeGapWhenDue(Instant now) {
        Instant since = gapSince;
        if (since == null || now.isBefore(since.plus(hub.settings.gapWait()))
                || catchUpRetryAt != null && catchUpMayRecover) {
            return;
        }
        boolean catchUp;
        Flush flush = Flush.DONE;
        synchronized (outbound) {
            if (phase.get() != Phase.REORDERING) {
                return;
            }
            catchUp = gapCatchUps < GAP_CATCH_UPS;
            if (catchUp) {
                gapCatchUps++;
            } else {
                LOG.info("session {}: a gap in a conversation's seqs stayed after {} catch-ups; sending what came"
                        + " after it", id, gapCatchUps);
                flush = flushHeld(true);
                wentLive(Phase.REORDERING, flush);
            }
        }
        if (catchUp) {
            resync();
        } else if (flush == Flush.OVERFLOW) {
            closeWith(CloseCodes.SLOW_CONSUMER, "slow_consumer");
        }
    }

    /** Queues again a catch-up that failed, once its wait is over. */
    private void retryCatchUpWhenDue(Instant now) {
        Instant due = catchUpRetryAt;
        if (due != null && !now.isBefore(due)) {
            catchUpRetryAt = null;
            resync();
        }
    }

    /**
     * Answers {@code error unavailable} to every request whose answer is past its deadline (a send
     * whose commit has not come, a read waiting for a connection), so the answers after it go out
     * too. Its own answer, should it still come, is dropped.
     */
    private void answerOverdue(Instant now) {
        List<AnswerSlot> overdue = new ArrayList<>();
        synchronized (outbound) {
            for (AnswerSlot slot : answers) {
                if (!slot.done && slot.decoded && slot.deadline != null && !now.isBefore(slot.deadline)) {
                    overdue.add(slot);
                }
            }
        }
        for (AnswerSlot slot : overdue) {
            answer(slot, tooLate(slot.ref));
        }
    }

    /** The answer to a request past its deadline: none when it carries no ref. */
    private static @Nullable ServerFrame tooLate(@Nullable String ref) {
        return ref == null ? null
                : new ServerFrame.Error(ref, ErrorCode.UNAVAILABLE, "the server could not answer in time; retry");
    }

    // ---------------------------------------------------------------- outbound

    /** Pushes a committed message, unless it is the echo of this socket's own send. */
    void pushMessage(Message message) {
        pushMessage(new OutgoingMessage(message, hub.codec));
    }

    /**
     * Pushes a committed message encoded once for every socket, unless it is the echo of this
     * socket's own send.
     */
    void pushMessage(OutgoingMessage outgoing) {
        Message message = outgoing.message();
        Caller c = caller;
        if (c == null) {
            return;
        }
        UserId me = c.userId();
        pushInOrder(isOwnEcho(message, me) ? null : outgoing.textFor(me), message.conversationId(), message.seq());
    }

    /**
     * Pushes a conversation's message in seq order: held back while the session starts or catches
     * up; dropped when the socket has it; sent when it follows the last one sent; otherwise held
     * behind a catch-up that reads the missing ones.
     *
     * @param text the frame, or null for this socket's own send, which only moves the seq on
     */
    private void pushInOrder(@Nullable String text, ConversationId conversationId, long seq) {
        boolean overflow = false;
        synchronized (outbound) {
            Phase p = phase.get();
            if (p == Phase.CLOSED || p == Phase.AWAITING_AUTH) {
                return;
            }
            if (p == Phase.STARTING || p == Phase.CATCHING_UP) {
                overflow = hold(text, conversationId, seq);
            } else if (p == Phase.REORDERING) {
                overflow = hold(text, conversationId, seq) || wentLive(p, flushHeld(false)) == Flush.OVERFLOW;
            } else if (seq <= sentTop.getOrDefault(conversationId, 0L)) {
                return;
            } else if (follows(conversationId, seq)) {
                sentTop.put(conversationId, seq);
                overflow = text != null && !transmit(text);
            } else {
                LOG.debug("session {}: seq {} of {} does not follow the last one sent; holding it", id, seq,
                        conversationId);
                phase.set(Phase.REORDERING);
                gapSince = hub.clock.instant();
                overflow = hold(text, conversationId, seq);
            }
        }
        if (overflow) {
            closeWith(CloseCodes.SLOW_CONSUMER, "slow_consumer");
        }
    }

    /** Tells whether a seq comes right after the last one sent in its conversation (or none was). */
    private boolean follows(ConversationId conversationId, long seq) {
        Long top = sentTop.get(conversationId);
        return top == null || seq == top + 1;
    }

    /** Holds a push back; tells whether what is held is now over the bound. Call holding {@code outbound}. */
    private boolean hold(@Nullable String text, @Nullable ConversationId conversationId, long seq) {
        heldBytes += text == null ? 0 : Utf8.length(text);
        held.add(new Held(text, conversationId, seq));
        return heldBytes > hub.settings.maxQueuedBytes();
    }

    /** Pushes an event frame; held back while the session starts. */
    void push(ServerFrame frame) {
        pushText(hub.codec.encode(frame));
    }

    /** Pushes an event frame already encoded for every session; held back while the session starts. */
    void pushText(String text) {
        boolean overflow;
        synchronized (outbound) {
            Phase p = phase.get();
            if (p == Phase.CLOSED || p == Phase.AWAITING_AUTH) {
                return;
            }
            if (p == Phase.STARTING || p == Phase.CATCHING_UP || p == Phase.REORDERING) {
                overflow = hold(text, null, 0);
            } else {
                overflow = !transmit(text);
            }
        }
        if (overflow) {
            closeWith(CloseCodes.SLOW_CONSUMER, "slow_consumer");
        }
    }

    /** Sends a reply or a start-up frame now, in this session's order. */
    private boolean reply(ServerFrame frame) {
        String text = hub.codec.encode(frame);
        boolean sent;
        synchronized (outbound) {
            if (isClosed()) {
                return false;
            }
            sent = transmit(text);
        }
        if (!sent) {
            closeWith(CloseCodes.SLOW_CONSUMER, "slow_consumer");
        }
        return sent;
    }

    /** Hands text to the connection within the queue bound. Call holding {@code outbound}. */
    private boolean transmit(String text) {
        long queued = Math.max(0, connection.queuedBytes());
        if (queued + Utf8.length(text) > hub.settings.maxQueuedBytes()) {
            return false;
        }
        return connection.send(text);
    }

    /**
     * Sends what was held back during start-up or a catch-up, skipping what the socket has, and
     * goes live; or, when a held message does not follow the last one sent in its conversation,
     * waits for the missing ones ({@code REORDERING}).
     */
    private void goLive() {
        Flush flush;
        synchronized (outbound) {
            Phase holding = phase.get();
            if (holding != Phase.STARTING && holding != Phase.CATCHING_UP) {
                return;
            }
            if (holding == Phase.CATCHING_UP && catchUpQueued.get()) {
                // a resync came during this catch-up: the queued one reads what it missed and goes live
                return;
            }
            flush = wentLive(holding, flushHeld(false));
        }
        if (flush == Flush.OVERFLOW) {
            closeWith(CloseCodes.SLOW_CONSUMER, "slow_consumer");
        }
    }

    /**
     * Sends the held pushes, skipping the messages the socket has. A message that does not follow
     * the last one sent in its conversation stays held until the one it follows has gone out; other
     * pushes keep their order. Told to send past gaps, it first moves each conversation's last seq
     * up to just before the lowest held one. Call holding {@code outbound}.
     *
     * @return {@code GAP} when messages still wait for missing ones
     */
    private Flush flushHeld(boolean pastGaps) {
        if (pastGaps) {
            Map<ConversationId, Long> lowest = new HashMap<>();
            for (Held h : held) {
                if (h.conversationId() != null && h.seq() > sentTop.getOrDefault(h.conversationId(), 0L)) {
                    lowest.merge(h.conversationId(), h.seq(), Math::min);
                }
            }
            lowest.forEach((conversationId, seq) -> sentTop.merge(conversationId, seq - 1, Math::max));
        }
        boolean progress = true;
        boolean waiting = false;
        while (progress) {
            progress = false;
            waiting = false;
            for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
                Held h = it.next();
                ConversationId conversationId = h.conversationId();
                boolean copy = false;
                if (conversationId != null) {
                    copy = h.seq() <= sentTop.getOrDefault(conversationId, 0L);
                    if (!copy && !follows(conversationId, h.seq())) {
                        waiting = true;
                        continue;
                    }
                    if (!copy) {
                        sentTop.put(conversationId, h.seq());
                        progress = true;
                    }
                }
                it.remove();
                heldBytes -= h.text() == null ? 0 : Utf8.length(h.text());
                if (!copy && h.text() != null && !transmit(h.text())) {
                    return Flush.OVERFLOW;
                }
            }
        }
        return waiting ? Flush.GAP : Flush.DONE;
    }

    /**
     * Moves the session on from a holding phase after a flush: live when all went out, to
     * {@code REORDERING} when a gap stopped it. Call holding {@code outbound}.
     */
    private Flush wentLive(Phase holding, Flush flush) {
        if (flush == Flush.GAP) {
            if (holding != Phase.REORDERING) {
                phase.compareAndSet(holding, Phase.REORDERING);
                gapSince = hub.clock.instant();
            }
        } else {
            gapSince = null;
            gapCatchUps = 0;
            phase.compareAndSet(holding, Phase.LIVE);
        }
        return flush;
    }

    // ---------------------------------------------------------------- requests

    private void serve(String text, Instant arrived) {
        Phase p = phase.get();
        if (p == Phase.CLOSED || drainMarkPassed) {
            return;
        }
        if (p == Phase.AWAITING_AUTH) {
            serveFirstFrame(text);
            return;
        }
        if (tokenRevoked()) {
            return;
        }
        AnswerSlot slot = openSlot();
        ClientFrame frame;
        try {
            frame = hub.codec.decodeClient(text);
        } catch (FrameException e) {
            answer(slot, new ServerFrame.Error(e.ref(), ErrorCode.BAD_REQUEST, String.valueOf(e.getMessage())));
            return;
        }
        Instant deadline = arrived.plus(hub.settings.requestDeadline());
        if (!hub.clock.instant().isBefore(deadline)) {
            // Its turn came too late (the requests before it waited for storage): not served at all.
            answer(slot, tooLate(frame.ref()));
            return;
        }
        synchronized (outbound) {
            slot.ref = frame.ref();
            slot.deadline = deadline;
            slot.decoded = true;
        }
        if (!(frame instanceof ClientFrame.Ping)) {
            lastActivity = hub.clock.instant();
        }
        try {
            frame.accept(new Request(requestCaller(), slot));
        } catch (MessagingException e) {
            answer(slot, new ServerFrame.Error(frame.ref(), e.code(), String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            LOG.warn("session {} failed on a {} frame ({})", id, frame.type(), e.getClass().getName());
            answer(slot, new ServerFrame.Error(frame.ref(), ErrorCode.INTERNAL, "internal error"));
        }
    }

    /**
     * Closes the session with 4401 {@code token_revoked} when its token was revoked since it was
     * verified (a logout, disabling or role change on any node), or with 1013 when that cannot be
     * told because storage is down.
     *
     * @return true when the session was closed
     */
    private boolean tokenRevoked() {
        VerifiedToken current = token;
        if (current == null) {
            return false;
        }
        try {
            if (!hub.verifier.isRevoked(current)) {
                return false;
            }
            closeWith(CloseCodes.UNAUTHENTICATED, "token_revoked");
        } catch (RuntimeException e) {
            LOG.warn("session {}: checking its token's revocation failed ({})", id, e.getClass().getName());
            closeWith(CloseCodes.TRY_AGAIN_LATER, "unavailable");
        }
        return true;
    }

    /** Takes the next place in the order answers go out in; call on the request queue. */
    private AnswerSlot openSlot() {
        AnswerSlot slot = new AnswerSlot();
        synchronized (outbound) {
            answers.add(slot);
        }
        return slot;
    }

    /**
     * Gives a request its answer (null for none) and sends every answer that is now due: answers
     * leave in the order the requests came, so a send still waiting for its commit holds back the
     * answers of the requests after it, until its deadline. An answer to a request already
     * answered as overdue is dropped.
     */
    private void answer(AnswerSlot slot, @Nullable ServerFrame frame) {
        String text = frame == null ? null : hub.codec.encode(frame);
        boolean overflow = false;
        boolean drainDue = false;
        synchronized (outbound) {
            if (slot.done) {
                // answered already, as overdue: this late answer is dropped
                return;
            }
            slot.text = text;
            slot.done = true;
            while (!answers.isEmpty() && answers.peekFirst().done) {
                AnswerSlot due = answers.pollFirst();
                drainDue |= due.drainMark;
                if (due.text != null && !overflow && !isClosed() && !transmit(due.text)) {
                    overflow = true;
                }
            }
        }
        if (overflow) {
            closeWith(CloseCodes.SLOW_CONSUMER, "slow_consumer");
        }
        if (drainDue) {
            drained.complete(null);
        }
    }

    /**
     * Runs on the request queue after every frame taken before {@link #drain()}: frames queued
     * after it are dropped, and its place among the answers completes the drain once every earlier
     * answer went out.
     */
    private void passDrainMark() {
        drainMarkPassed = true;
        AnswerSlot mark = openSlot();
        mark.drainMark = true;
        answer(mark, null);
    }

    /**
     * One request's place in the order of answers, or the drain's mark: once its frame is decoded,
     * the request's ref and the deadline for its answer. Guarded by {@code outbound}.
     */
    private static final class AnswerSlot {
        private @Nullable String text;
        private boolean done;
        private boolean drainMark;
        private boolean decoded;
        private @Nullable String ref;
        private @Nullable Instant deadline;
    }

    private void serveFirstFrame(String text) {
        ClientFrame frame;
        try {
            frame = hub.codec.decodeClient(text);
        } catch (FrameException e) {
            closeWith(CloseCodes.UNAUTHENTICATED, "auth_required");
            return;
        }
        if (frame instanceof ClientFrame.Auth auth) {
            authenticate(auth.ref(), auth.token());
        } else {
            closeWith(CloseCodes.UNAUTHENTICATED, "auth_required");
        }
    }

    private void refuseOverflow(String text) {
        hub.metrics.rateLimited("in_flight");
        String ref;
        try {
            ref = hub.codec.decodeClient(text).ref();
        } catch (FrameException e) {
            ref = e.ref();
        }
        reply(new ServerFrame.Error(ref, ErrorCode.RATE_LIMITED, "too many requests waiting; slow down"));
    }

    /**
     * Serves one request of an authenticated session through the facade and answers its slot: at
     * once, or for a {@code send} once the store committed. One per request, used on the session's
     * request queue only; what it throws, {@link #serve(String)} answers as an error.
     */
    private final class Request implements ClientFrame.Visitor<@Nullable Void> {
        private final Caller caller;
        private final AnswerSlot slot;

        Request(Caller caller, AnswerSlot slot) {
            this.caller = caller;
            this.slot = slot;
        }

        @Override
        public @Nullable Void visitAuth(ClientFrame.Auth f) {
            return answerWith(reauthenticate(f));
        }

        @Override
        public @Nullable Void visitOpen(ClientFrame.Open f) {
            UserId with = f.with();
            String title = f.title();
            io.carechat.messaging.model.Conversation conversation = with != null
                    ? hub.messaging.openDirect(caller, with)
                    : hub.messaging.createGroup(caller, requireNonNull(title, "title"), f.members());
            seeUsers(conversation.memberIds());
            return answerWith(new ServerFrame.Conversation(
                    f.ref(), conversation, hub.messaging.members(caller, conversation.id())));
        }

        @Override
        public @Nullable Void visitSend(ClientFrame.Send f) {
            send(caller, f, slot);
            return null;
        }

        @Override
        public @Nullable Void visitDelivered(ClientFrame.Delivered f) {
            hub.messaging.markDelivered(caller, f.conversationId(), f.seq());
            return answerWith(okIfAsked(f.ref()));
        }

        @Override
        public @Nullable Void visitRead(ClientFrame.Read f) {
            hub.messaging.markRead(caller, f.conversationId(), f.seq());
            return answerWith(okIfAsked(f.ref()));
        }

        @Override
        public @Nullable Void visitHistory(ClientFrame.History f) {
            HistoryPage page = hub.messaging.history(caller, f.conversationId(), f.beforeSeq(), f.limit());
            List<MessageView> views = page.messages().stream().map(m -> MessageView.of(m, caller.userId())).toList();
            return answerWith(new ServerFrame.History(f.ref(), f.conversationId(), views, page.hasMore()));
        }

        @Override
        public @Nullable Void visitConversations(ClientFrame.Conversations f) {
            return answerWith(new ServerFrame.Conversations(f.ref(), views(hub.messaging.conversations(caller))));
        }

        @Override
        public @Nullable Void visitContacts(ClientFrame.Contacts f) {
            List<Contact> contacts = hub.messaging.contacts(caller);
            seeUsers(contacts.stream().map(contact -> contact.user().id()).toList());
            return answerWith(new ServerFrame.Contacts(f.ref(), contacts.stream().map(ContactView::of).toList()));
        }

        @Override
        public @Nullable Void visitTyping(ClientFrame.Typing f) {
            hub.messaging.typing(caller, f.conversationId());
            return answerWith(okIfAsked(f.ref()));
        }

        @Override
        public @Nullable Void visitPresence(ClientFrame.Presence f) {
            hub.messaging.setPresence(caller, f.status());
            return answerWith(okIfAsked(f.ref()));
        }

        @Override
        public @Nullable Void visitPing(ClientFrame.Ping f) {
            return answerWith(new ServerFrame.Pong(f.ref()));
        }

        @Override
        public @Nullable Void visitRecall(ClientFrame.Recall f) {
            hub.messaging.recall(caller, f.conversationId(), f.seq(), f.reason());
            return answerWith(new ServerFrame.Ok(f.ref()));
        }

        private @Nullable Void answerWith(@Nullable ServerFrame frame) {
            answer(slot, frame);
            return null;
        }

        /** Requests without a reply of their own are answered {@code ok} only when they carry a ref. */
        private static @Nullable ServerFrame okIfAsked(@Nullable String ref) {
            return ref == null ? null : new ServerFrame.Ok(ref);
        }
    }

    /**
     * Starts a send and returns without waiting for its commit, so this socket may have several in
     * flight (up to {@link HubSettings#maxPendingRequests()}, each counted until it is answered).
     * The answer, {@code sent} or an error, is given on this session's request queue once the store
     * committed, so sends are answered in the order they were stored.
     */
    private void send(Caller c, ClientFrame.Send f, AnswerSlot slot) {
        SendRequest request = new SendRequest(f.conversationId(), f.clientMsgId(), f.body(), f.priority(),
                f.attachments());
        synchronized (outbound) {
            inFlightClientMsgIds.add(f.clientMsgId());
        }
        pending.incrementAndGet();
        CompletableFuture<Message> sent;
        try {
            sent = hub.messaging.sendAsync(c, request, requests);
        } catch (RuntimeException e) {
            pending.decrementAndGet();
            synchronized (outbound) {
                inFlightClientMsgIds.remove(f.clientMsgId());
            }
            throw e;
        }
        sent.whenComplete((message, failure) -> {
            try {
                answerSend(c, f, slot, message, failure);
            } finally {
                pending.decrementAndGet();
            }
        });
    }

    private void answerSend(Caller c, ClientFrame.Send f, AnswerSlot slot, @Nullable Message message,
            @Nullable Throwable failure) {
        synchronized (outbound) {
            inFlightClientMsgIds.remove(f.clientMsgId());
            if (message != null) {
                ackedHere.add(message.id());
                if (ackedHere.size() > ACKED_MEMORY) {
                    ackedHere.remove(ackedHere.iterator().next());
                }
            }
        }
        if (message != null) {
            answer(slot, new ServerFrame.Sent(f.ref(), MessageView.of(message, c.userId())));
            return;
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof MessagingException e) {
            answer(slot, new ServerFrame.Error(f.ref(), e.code(), String.valueOf(e.getMessage())));
        } else if (cause instanceof RejectedExecutionException) {
            answer(slot, null);
            closeWith(CloseCodes.GOING_AWAY, "server_shutdown");
        } else {
            LOG.warn("session {} failed on a send frame ({})", id,
                    cause == null ? "no cause" : cause.getClass().getName());
            answer(slot, new ServerFrame.Error(f.ref(), ErrorCode.INTERNAL, "internal error"));
        }
    }

    private @Nullable ServerFrame reauthenticate(ClientFrame.Auth f) {
        VerifiedToken verified = hub.verifier.verify(f.token());
        Caller current = requestCaller();
        if (!verified.caller().userId().equals(current.userId())) {
            closeWith(CloseCodes.UNAUTHENTICATED, "subject_mismatch");
            return null;
        }
        if (!verified.expiresAt().isAfter(hub.clock.instant())) {
            throw new UnauthenticatedException("the token is not valid");
        }
        caller = verified.caller().from(connection.remoteAddress(), null);
        this.token = verified;
        tokenExpiresAt = verified.expiresAt();
        return new ServerFrame.Ok(f.ref());
    }

    private Caller requestCaller() {
        Caller c = caller;
        if (c == null) {
            throw new IllegalStateException("session " + id + " is not authenticated");
        }
        return c.from(connection.remoteAddress(), id + "-" + requestNumbers.incrementAndGet());
    }

    // ---------------------------------------------------------------- authentication and start-up

    private void authenticate(@Nullable String ref, String token) {
        VerifiedToken verified;
        try {
            verified = hub.verifier.verify(token);
        } catch (UnauthenticatedException e) {
            closeWith(CloseCodes.UNAUTHENTICATED, "unauthenticated");
            return;
        } catch (UnavailableException e) {
            // The token could not be checked (its revocation is read from storage): try again later.
            closeWith(CloseCodes.TRY_AGAIN_LATER, "unavailable");
            return;
        } catch (RuntimeException e) {
            LOG.warn("session {}: token verification failed unexpectedly ({})", id, e.getClass().getName());
            closeWith(CloseCodes.INTERNAL_ERROR, "internal_error");
            return;
        }
        Instant now = hub.clock.instant();
        if (!verified.expiresAt().isAfter(now)) {
            closeWith(CloseCodes.UNAUTHENTICATED, "token_expired");
            return;
        }
        Caller c = verified.caller().from(connection.remoteAddress(), null);
        caller = c;
        LogContext.user(c.userId().value());
        this.token = verified;
        tokenExpiresAt = verified.expiresAt();
        lastActivity = now;
        if (!phase.compareAndSet(Phase.AWAITING_AUTH, Phase.STARTING)) {
            return;
        }
        connection.authenticated();
        int sessions = hub.registry.add(c.userId(), this, hub.settings.maxSocketsPerUser());
        if (sessions == 0) {
            closeWith(CloseCodes.POLICY_VIOLATION, "too_many_sockets");
            return;
        }
        if (sessions < 0) {
            return;
        }
        try {
            start(ref, c, sessions == 1);
        } catch (UnavailableException e) {
            closeWith(CloseCodes.TRY_AGAIN_LATER, "unavailable");
        } catch (MessagingException e) {
            // A valid token for an account that is disabled or gone: the facade refuses it.
            LOG.debug("session {} refused while starting ({})", id, e.code());
            closeWith(CloseCodes.UNAUTHENTICATED, "unauthenticated");
        } catch (RuntimeException e) {
            LOG.warn("session {} failed to start ({})", id, e.getClass().getName());
            closeWith(CloseCodes.INTERNAL_ERROR, "internal_error");
        }
    }

    /**
     * Sets a user who just came online {@code available}; a user who used up their presence budget
     * (reconnecting over and over) keeps the status they had, and the session starts all the same.
     */
    private void announceAvailable(Caller c) {
        try {
            hub.messaging.setPresence(c, Presence.AVAILABLE);
        } catch (RateLimitedException e) {
            LOG.debug("session {} started without announcing presence ({})", id, e.code());
        }
    }

    /** Sends {@code ready}, then the backlog per conversation in seq order, then goes live. */
    private void start(@Nullable String ref, Caller c, boolean firstSession) {
        if (firstSession) {
            announceAvailable(c);
        }
        List<ConversationOverview> overviews = hub.messaging.conversations(c);
        long unreadTotal = hub.messaging.unread(c).total();
        for (ConversationOverview overview : overviews) {
            seeUsers(overview.conversation().memberIds());
        }
        seeUsers(hub.messaging.contacts(c).stream().map(contact -> contact.user().id()).toList());
        LOG.debug("session {} of {} ready", id, c.userId().value());
        if (!reply(new ServerFrame.Ready(ref, c.userId(), c.roles(), views(overviews), unreadTotal))) {
            return;
        }
        int budget = hub.settings.maxBacklogMessages();
        for (ConversationOverview overview : overviews) {
            ConversationSummary summary = overview.summary();
            ConversationId conversationId = summary.conversation().id();
            if (budget > 0 && summary.lastSeq() > summary.self().deliveredSeq()) {
                for (Message message : hub.messaging.backlog(c, conversationId)) {
                    if (budget-- <= 0) {
                        break;
                    }
                    synchronized (outbound) {
                        sentTop.merge(conversationId, message.seq(), Math::max);
                    }
                    if (!reply(new ServerFrame.Message(MessageView.of(message, c.userId())))) {
                        return;
                    }
                }
            }
            noteLastSeq(summary);
        }
        goLive();
    }

    /**
     * Pushes, live, every message after the member's {@code deliveredSeq} in each conversation,
     * within the same bounds as the start-up backlog. Copies the client already holds come again
     * with their {@code seq}; the socket's own acknowledged sends do not.
     */
    private void pushBacklogAgain() {
        Caller c = caller;
        if (c == null) {
            return;
        }
        holdLivePushes();
        if (phase.get() != Phase.CATCHING_UP) {
            return;
        }
        try {
            int budget = hub.settings.maxBacklogMessages();
            for (ConversationOverview overview : hub.messaging.conversations(c)) {
                ConversationSummary summary = overview.summary();
                seeUsers(summary.conversation().memberIds());
                if (budget > 0 && summary.lastSeq() > summary.self().deliveredSeq()) {
                    for (Message message : hub.messaging.backlog(c, summary.conversation().id())) {
                        if (budget-- <= 0 || isClosed()) {
                            break;
                        }
                        pushCaughtUp(message, c.userId());
                    }
                }
                noteLastSeq(summary);
            }
            catchUpFailures = 0;
        } catch (MessagingException e) {
            catchUpFailures++;
            catchUpMayRecover = e.code() == ErrorCode.UNAVAILABLE;
            Duration wait = hub.settings.catchUpRetry().multipliedBy(1L << Math.min(catchUpFailures - 1, 5));
            catchUpRetryAt = hub.clock.instant().plus(wait);
            LOG.warn("session {}: catching up after a resync failed ({}); trying again in {} ms",
                    id, e.code(), wait.toMillis());
        } catch (RuntimeException e) {
            LOG.warn("session {}: catching up after a resync failed ({})", id, e.getClass().getName());
        } finally {
            // what was held goes out now; after a failure the retry's read brings what this one did not
            goLive();
        }
    }

    /**
     * Notes a conversation's last seq as read with the backlog after it: what the backlog leaves
     * out beyond its bound is for the client's history read, not for a catch-up.
     */
    private void noteLastSeq(ConversationSummary summary) {
        synchronized (outbound) {
            sentTop.merge(summary.conversation().id(), summary.lastSeq(), Math::max);
        }
    }

    /**
     * Sends a message the catch-up read, ahead of the live pushes held meanwhile, unless the socket
     * has it (a recalled one goes again, as its tombstone, in case the {@code recalled} push was
     * lost), and notes its seq so the held copy is not sent again; the echo of this socket's own
     * send only moves the seq on.
     */
    private void pushCaughtUp(Message message, UserId me) {
        synchronized (outbound) {
            long top = sentTop.getOrDefault(message.conversationId(), 0L);
            if (message.seq() <= top && !message.recalled()) {
                return;
            }
            sentTop.put(message.conversationId(), Math.max(top, message.seq()));
        }
        if (!isOwnEcho(message, me)) {
            reply(new ServerFrame.Message(MessageView.of(message, me)));
        }
    }

    /** Tells whether a message is this socket's own send, in flight or acknowledged by {@code sent} here. */
    private boolean isOwnEcho(Message message, UserId me) {
        if (!message.senderId().equals(me)) {
            return false;
        }
        synchronized (outbound) {
            return inFlightClientMsgIds.contains(message.clientMsgId()) || ackedHere.contains(message.id());
        }
    }

    private static List<ConversationView> views(List<ConversationOverview> overviews) {
        return overviews.stream().map(ConversationView::of).toList();
    }
}

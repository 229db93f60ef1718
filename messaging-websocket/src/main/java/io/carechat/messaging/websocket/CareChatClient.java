package io.carechat.messaging.websocket;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.protocol.ClientFrame;
import io.carechat.messaging.protocol.ContactView;
import io.carechat.messaging.protocol.ConversationView;
import io.carechat.messaging.protocol.FrameException;
import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.protocol.ProtocolCodec;
import io.carechat.messaging.protocol.ServerFrame;
import io.carechat.messaging.websocket.internal.Backoff;
import io.carechat.messaging.websocket.internal.DeliveryTracker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CareChat client on the JDK's {@link java.net.http.WebSocket}, for server-side integrations,
 * bots and tests. It authenticates with the {@code Authorization: Bearer} header of the upgrade
 * (the token never goes in the URL), reports every server frame to a {@link CareChatListener},
 * acknowledges as delivered, per conversation, the highest {@code seq} it holds without a gap
 * (from {@code message}, {@code sent} and {@code history} frames), and reconnects after a lost connection with
 * exponential backoff and jitter, asking the token supplier for a token each time.
 *
 * <p>Sending: {@link #send(ConversationId, String, Priority, List)} gives each message a
 * {@code clientMsgId} and keeps it until the server's {@code sent} arrives: a message sent while
 * disconnected, or whose {@code sent} was lost with the connection, is sent again with the same
 * id after the next {@code ready}, and one the server answered with {@code unavailable} (storage
 * down) is sent again after a backoff; the server stores it once. Other requests fail with
 * {@link NotConnectedException} when there is no session, and with {@link ServerErrorException}
 * when the server answers {@code error}.
 *
 * <p>Thread-safe: every method may be called from any thread. Replies complete their futures, and
 * listeners are called, on one event thread of the client, in the order frames arrived (a
 * timeout, a lost connection or {@link #close()} fails futures from the thread that saw it).
 *
 * <p>Lifecycle: build, {@link #connect()} once, use, {@link #close()} once (also after the
 * connection failed for good); a closed client does not reconnect and cannot be reused.
 */
public final class CareChatClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CareChatClient.class);
    /** The longest server frame accepted, in characters; a history page stays far below it. */
    private static final int MAX_FRAME_CHARS = 32 * 1024 * 1024;
    /** How long acknowledgements gather before one {@code delivered} per conversation goes out. */
    private static final long ACK_DELAY_MILLIS = 20;
    /** The close code of a socket refused because the user has too many. */
    private static final int TOO_MANY_SOCKETS = 1008;

    private enum State { NEW, CONNECTING, CONNECTED, CLOSED }

    /** A request waiting for its reply; sends are kept across reconnects. */
    private record Pending(
            CompletableFuture<ServerFrame> reply, ClientFrame.@Nullable Send send, AtomicInteger retries) {
        Pending(CompletableFuture<ServerFrame> reply, ClientFrame.@Nullable Send send) {
            this(reply, send, new AtomicInteger());
        }
    }

    private final URI uri;
    private final Supplier<String> tokens;
    private final @Nullable String origin;
    private final CareChatListener listener;
    private final boolean reconnect;
    private final Backoff backoff;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final ProtocolCodec codec = ProtocolCodec.withDefaults();
    private final ScheduledExecutorService timer;
    private final ExecutorService events;
    private final AtomicLong refNumbers = new AtomicLong();
    private final CompletableFuture<ServerFrame.Ready> firstReady = new CompletableFuture<>();
    private final DeliveryTracker deliveries = new DeliveryTracker();

    private final Object lock = new Object();
    private State state = State.NEW;
    private long generation;
    private @Nullable WebSocket socket;
    private boolean ready;
    private boolean everReady;
    private int attempt;
    private CompletableFuture<Void> outbound = CompletableFuture.completedFuture(null);
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<ConversationId, Long> unacknowledged = new LinkedHashMap<>();
    private boolean ackFlushScheduled;
    private boolean closeCalled;
    private volatile @Nullable UserId userId;

    private CareChatClient(Builder b, URI uri, Supplier<String> tokens) {
        this.uri = uri;
        this.tokens = tokens;
        this.origin = b.origin;
        this.listener = b.listener;
        this.reconnect = b.reconnect;
        this.backoff = new Backoff(b.initialBackoff, b.maxBackoff,
                bound -> ThreadLocalRandom.current().nextLong(bound + 1));
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(connectTimeout);
        if (b.sslContext != null) {
            http.sslContext(b.sslContext);
        }
        this.http = http.build();
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("carechat-client-timer"));
        this.events = Executors.newSingleThreadExecutor(daemon("carechat-client-events"));
    }

    /**
     * Starts configuring a client.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Connects. Returns at once; the client keeps (re)connecting until {@link #close()}.
     *
     * @return completed with the first {@code ready}; completed exceptionally when the client is
     *     closed first, or when reconnection is off and the first attempt fails
     * @throws IllegalStateException when called twice or after close
     */
    public CompletableFuture<ServerFrame.Ready> connect() {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("connect() may be called once, before close()");
            }
            state = State.CONNECTING;
        }
        openSocket();
        return firstReady.thenApply(Function.identity());
    }

    /**
     * Tells whether a session is up (authenticated, {@code ready} received).
     *
     * @return true when connected
     */
    public boolean isConnected() {
        synchronized (lock) {
            return ready;
        }
    }

    /**
     * The user of the last session.
     *
     * @return the user, or null before the first {@code ready}
     */
    public @Nullable UserId userId() {
        return userId;
    }

    /**
     * Closes the connection with 1000, stops reconnecting and fails every pending request and
     * unacknowledged send with {@link NotConnectedException}. Idempotent.
     */
    @Override
    public void close() {
        WebSocket ws;
        List<Pending> abandoned;
        CompletableFuture<Void> lastSend;
        synchronized (lock) {
            if (closeCalled) {
                return;
            }
            closeCalled = true;
            flushAcknowledgements();
            state = State.CLOSED;
            generation++;
            ws = socket;
            socket = null;
            ready = false;
            abandoned = new ArrayList<>(pending.values());
            pending.clear();
            lastSend = outbound;
        }
        NotConnectedException closed = new NotConnectedException("the client is closed");
        abandoned.forEach(p -> p.reply().completeExceptionally(closed));
        firstReady.completeExceptionally(closed);
        if (ws != null) {
            lastSend.thenCompose(x -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "client_closed"))
                    .orTimeout(2, TimeUnit.SECONDS)
                    .whenComplete((x, e) -> ws.abort());
        }
        timer.shutdownNow();
        events.shutdown();
    }

    // ---------------------------------------------------------------- requests

    /**
     * Sends a normal-priority message without attachments; see
     * {@link #send(ConversationId, String, Priority, List)}.
     *
     * @param conversationId the conversation
     * @param body the text
     * @return completed with the stored message
     */
    public CompletableFuture<MessageView> send(ConversationId conversationId, String body) {
        return send(conversationId, body, Priority.NORMAL, List.of());
    }

    /**
     * Sends a message with a new {@code clientMsgId}. It is kept until the server's {@code sent}
     * arrives and sent again with the same id after a reconnect, so it is stored once.
     *
     * @param conversationId the conversation
     * @param body the text
     * @param priority normal or urgent
     * @param attachments attachment ids, possibly none
     * @return completed with the stored message; exceptionally with {@link ServerErrorException}
     *     when the server refuses it (its code says why; {@code unavailable} is retried, not
     *     reported), or {@link NotConnectedException} when the client is closed first
     */
    public CompletableFuture<MessageView> send(
            ConversationId conversationId, String body, Priority priority, List<AttachmentId> attachments) {
        return send(conversationId, UUID.randomUUID().toString(), body, priority, attachments);
    }

    /**
     * Sends a message with the caller's own {@code clientMsgId}, for instance to retry one the
     * server answered with {@code unavailable} or {@code rate_limited}.
     *
     * @param conversationId the conversation
     * @param clientMsgId 1 to 64 characters, unique per sender
     * @param body the text
     * @param priority normal or urgent
     * @param attachments attachment ids, possibly none
     * @return as for {@link #send(ConversationId, String, Priority, List)}
     */
    public CompletableFuture<MessageView> send(ConversationId conversationId, String clientMsgId, String body,
            Priority priority, List<AttachmentId> attachments) {
        String ref = nextRef();
        ClientFrame.Send frame = new ClientFrame.Send(ref, requireNonNull(conversationId, "conversationId"),
                requireNonNull(clientMsgId, "clientMsgId"), requireNonNull(body, "body"),
                requireNonNull(priority, "priority"), requireNonNull(attachments, "attachments"));
        CompletableFuture<ServerFrame> reply = new CompletableFuture<>();
        synchronized (lock) {
            if (state == State.CLOSED) {
                return CompletableFuture.failedFuture(new NotConnectedException("the client is closed"));
            }
            pending.put(ref, new Pending(reply, frame));
            if (ready) {
                flushAcknowledgements();
                transmit(frame);
            }
        }
        return reply.thenApply(f -> expect(ServerFrame.Sent.class, f).message());
    }

    /**
     * Opens (creates or returns) the direct conversation with another user.
     *
     * @param with the other user
     * @return completed with the conversation
     */
    public CompletableFuture<Conversation> open(UserId with) {
        requireNonNull(with, "with");
        return request(ref -> new ClientFrame.Open(ref, with), ServerFrame.Conversation.class)
                .thenApply(ServerFrame.Conversation::conversation);
    }

    /**
     * Asks for a page of a conversation's messages.
     *
     * @param conversationId the conversation
     * @param beforeSeq only messages before this seq, or null for the newest
     * @param limit the page size (1 to 100), or null for the server's default
     * @return completed with the page, ascending by seq
     */
    public CompletableFuture<ServerFrame.History> history(
            ConversationId conversationId, @Nullable Long beforeSeq, @Nullable Integer limit) {
        requireNonNull(conversationId, "conversationId");
        return request(ref -> new ClientFrame.History(ref, conversationId, beforeSeq, limit),
                ServerFrame.History.class);
    }

    /**
     * Asks for the user's conversations.
     *
     * @return completed with them, newest activity first
     */
    public CompletableFuture<List<ConversationView>> conversations() {
        return request(ClientFrame.Conversations::new, ServerFrame.Conversations.class)
                .thenApply(ServerFrame.Conversations::conversations);
    }

    /**
     * Asks for the users this user may message.
     *
     * @return completed with them
     */
    public CompletableFuture<List<ContactView>> contacts() {
        return request(ClientFrame.Contacts::new, ServerFrame.Contacts.class)
                .thenApply(ServerFrame.Contacts::contacts);
    }

    /**
     * Marks a conversation read up to a seq.
     *
     * @param conversationId the conversation
     * @param seq the last message read
     * @return completed when the server took it
     */
    public CompletableFuture<Void> read(ConversationId conversationId, long seq) {
        requireNonNull(conversationId, "conversationId");
        return done(request(ref -> new ClientFrame.Read(ref, conversationId, seq), ServerFrame.Ok.class));
    }

    /**
     * Tells the other members that the user is typing.
     *
     * @param conversationId the conversation
     * @return completed when the server took it
     */
    public CompletableFuture<Void> typing(ConversationId conversationId) {
        requireNonNull(conversationId, "conversationId");
        return done(request(ref -> new ClientFrame.Typing(ref, conversationId), ServerFrame.Ok.class));
    }

    /**
     * Sets the user's availability.
     *
     * @param status available, busy or away
     * @return completed when the server took it
     */
    public CompletableFuture<Void> presence(Presence status) {
        requireNonNull(status, "status");
        return done(request(ref -> new ClientFrame.Presence(ref, status), ServerFrame.Ok.class));
    }

    /**
     * Pings the server. Since the server answers a session's requests in order, the
     * {@code pong} also means every earlier request was served.
     *
     * @return completed with the pong
     */
    public CompletableFuture<Void> ping() {
        return done(request(ClientFrame.Ping::new, ServerFrame.Pong.class));
    }

    /**
     * Extends the session with a fresh token from the token supplier, before the current one
     * expires; the server closes the session at expiry otherwise.
     *
     * @return completed when the server accepted the token
     */
    public CompletableFuture<Void> reauthenticate() {
        String token = requireNonNull(tokens.get(), "the token supplier returned null");
        return done(request(ref -> new ClientFrame.Auth(ref, token), ServerFrame.Ok.class));
    }

    private <T extends ServerFrame> CompletableFuture<T> request(Function<String, ClientFrame> make, Class<T> type) {
        String ref = nextRef();
        ClientFrame frame = make.apply(ref);
        CompletableFuture<ServerFrame> reply = new CompletableFuture<>();
        synchronized (lock) {
            if (!ready) {
                return CompletableFuture.failedFuture(new NotConnectedException("not connected"));
            }
            pending.put(ref, new Pending(reply, null));
            flushAcknowledgements();
            transmit(frame);
        }
        reply.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((f, e) -> {
            if (e != null) {
                synchronized (lock) {
                    pending.remove(ref);
                }
            }
        });
        return reply.thenApply(f -> expect(type, f));
    }

    private static CompletableFuture<Void> done(CompletableFuture<?> future) {
        return future.thenApply(f -> null);
    }

    private static <T extends ServerFrame> T expect(Class<T> type, ServerFrame frame) {
        if (!type.isInstance(frame)) {
            throw new IllegalStateException("expected a " + type.getSimpleName() + " reply, got " + frame.type());
        }
        return type.cast(frame);
    }

    private String nextRef() {
        return "r" + refNumbers.incrementAndGet();
    }

    /** Queues a frame on the live socket, after the frames before it. */
    private void transmit(ClientFrame frame) {
        String text = codec.encode(frame);
        synchronized (lock) {
            WebSocket ws = socket;
            if (ws == null || !ready) {
                return;
            }
            outbound = outbound.thenCompose(x -> ws.sendText(text, true)).handle((x, e) -> {
                if (e != null) {
                    LOG.debug("a frame could not be sent ({})", e.getClass().getName());
                }
                return null;
            });
        }
    }

    // ---------------------------------------------------------------- connection

    private void openSocket() {
        long gen;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            gen = ++generation;
        }
        try {
            String token = requireNonNull(tokens.get(), "the token supplier returned null");
            WebSocket.Builder builder = http.newWebSocketBuilder()
                    .connectTimeout(connectTimeout)
                    .header("Authorization", "Bearer " + token);
            if (origin != null) {
                builder.header("Origin", origin);
            }
            builder.buildAsync(uri, new SocketListener(gen)).whenComplete((ws, e) -> {
                if (e != null) {
                    connectFailed(gen, e);
                }
            });
        } catch (RuntimeException e) {
            connectFailed(gen, e);
        }
    }

    private void connectFailed(long gen, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String reason = cause instanceof WebSocketHandshakeException h
                ? "http_" + h.getResponse().statusCode() : "connect_failed";
        LOG.debug("connecting failed ({}, {})", reason, cause.getClass().getName());
        disconnected(gen, 1006, reason, cause);
    }

    private void disconnected(long gen, int code, String reason, @Nullable Throwable cause) {
        List<Pending> failed = new ArrayList<>();
        long delay = -1;
        synchronized (lock) {
            if (gen != generation || state == State.CLOSED) {
                return;
            }
            generation++;
            socket = null;
            ready = false;
            pending.values().removeIf(p -> {
                boolean drop = p.send() == null || !reconnect;
                if (drop) {
                    failed.add(p);
                }
                return drop;
            });
            if (reconnect) {
                state = State.CONNECTING;
                // Too many sockets: retrying soon cannot help, so wait the longest backoff.
                delay = backoff.delayMillis(code == TOO_MANY_SOCKETS ? Integer.MAX_VALUE : attempt++);
            } else {
                state = State.CLOSED;
            }
        }
        NotConnectedException lost = new NotConnectedException("the connection was lost");
        dispatch(() -> {
            failed.forEach(p -> p.reply().completeExceptionally(lost));
            if (!reconnect) {
                firstReady.completeExceptionally(cause != null ? cause : lost);
            }
            listener.onDisconnected(code, reason);
        });
        if (delay >= 0) {
            try {
                timer.schedule(this::openSocket, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debug("closed while scheduling a reconnect");
            }
        }
    }

    private void onFrame(long gen, String text) {
        synchronized (lock) {
            if (gen != generation) {
                return;
            }
        }
        ServerFrame frame;
        try {
            frame = codec.decodeServer(text);
        } catch (FrameException e) {
            LOG.warn("ignoring a server frame this client cannot read");
            return;
        }
        if (frame instanceof ServerFrame.Ready r) {
            onReady(gen, r);
            return;
        }
        if (frame instanceof ServerFrame.Message m) {
            acknowledge(m.message());
        } else if (frame instanceof ServerFrame.Sent s) {
            acknowledge(s.message());
        } else if (frame instanceof ServerFrame.History h) {
            h.messages().forEach(this::acknowledge);
        }
        String ref = refOf(frame);
        Pending p = null;
        if (ref != null) {
            synchronized (lock) {
                p = pending.get(ref);
                if (p != null && p.send() != null && frame instanceof ServerFrame.Error e
                        && e.code() == ErrorCode.UNAVAILABLE) {
                    retryLater(ref, p);
                    p = null;
                } else {
                    pending.remove(ref);
                }
            }
        }
        Pending answered = p;
        dispatch(() -> {
            if (answered != null) {
                if (frame instanceof ServerFrame.Error e) {
                    answered.reply().completeExceptionally(new ServerErrorException(e.code(), e.message()));
                } else {
                    answered.reply().complete(frame);
                }
            }
            deliver(frame);
        });
    }

    /**
     * Sends a send again with the same {@code clientMsgId} after a backoff, as the contract asks
     * when storage was unavailable. Call holding {@code lock}.
     */
    private void retryLater(String ref, Pending p) {
        int attempt = p.retries().getAndIncrement();
        try {
            timer.schedule(() -> {
                synchronized (lock) {
                    if (pending.get(ref) == p && ready) {
                        flushAcknowledgements();
                        transmit(requireNonNull(p.send(), "send"));
                    }
                }
            }, backoff.delayMillis(attempt), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("closed while scheduling a retry");
        }
    }

    /**
     * Notes the highest seq held without a gap, when this message raised it; acknowledgements
     * gather for a moment so a backlog costs a few {@code delivered} frames, not one per message.
     */
    private void acknowledge(MessageView message) {
        deliveries.hold(message.conversationId(), message.seq()).ifPresent(seq -> {
            boolean schedule;
            synchronized (lock) {
                unacknowledged.merge(message.conversationId(), seq, Math::max);
                schedule = !ackFlushScheduled;
                ackFlushScheduled = true;
            }
            if (schedule) {
                try {
                    timer.schedule(() -> {
                        synchronized (lock) {
                            flushAcknowledgements();
                        }
                    }, ACK_DELAY_MILLIS, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    LOG.debug("closed while acknowledging");
                }
            }
        });
    }

    /**
     * Sends the gathered acknowledgements, before any request so that a reply also means they
     * were served. Call holding {@code lock}. Without a session they are dropped: the next
     * session's backlog brings those messages again.
     */
    private void flushAcknowledgements() {
        ackFlushScheduled = false;
        if (ready) {
            unacknowledged.forEach((conversationId, seq) ->
                    transmit(new ClientFrame.Delivered(null, conversationId, seq)));
        }
        unacknowledged.clear();
    }

    private void onReady(long gen, ServerFrame.Ready r) {
        boolean reconnected;
        synchronized (lock) {
            if (gen != generation) {
                return;
            }
            ready = true;
            attempt = 0;
            state = State.CONNECTED;
            reconnected = everReady;
            everReady = true;
            userId = r.userId();
            unacknowledged.clear();
            r.conversations().forEach(c -> deliveries.reset(c.id(), c.deliveredSeq()));
            for (Pending p : pending.values()) {
                if (p.send() != null) {
                    transmit(p.send());
                }
            }
        }
        dispatch(() -> {
            firstReady.complete(r);
            listener.onReady(r);
            if (reconnected) {
                listener.onReconnected(r);
            }
        });
    }

    private void deliver(ServerFrame frame) {
        if (frame instanceof ServerFrame.Message f) {
            listener.onMessage(f.message());
        } else if (frame instanceof ServerFrame.Sent f) {
            listener.onSent(f);
        } else if (frame instanceof ServerFrame.Receipt f) {
            listener.onReceipt(f);
        } else if (frame instanceof ServerFrame.Unread f) {
            listener.onUnread(f);
        } else if (frame instanceof ServerFrame.Conversation f) {
            listener.onConversation(f);
        } else if (frame instanceof ServerFrame.History f) {
            listener.onHistory(f);
        } else if (frame instanceof ServerFrame.Conversations f) {
            listener.onConversations(f);
        } else if (frame instanceof ServerFrame.Contacts f) {
            listener.onContacts(f);
        } else if (frame instanceof ServerFrame.Typing f) {
            listener.onTyping(f);
        } else if (frame instanceof ServerFrame.Presence f) {
            listener.onPresence(f);
        } else if (frame instanceof ServerFrame.Notice f) {
            listener.onNotice(f);
        } else if (frame instanceof ServerFrame.Ok f) {
            listener.onOk(f);
        } else if (frame instanceof ServerFrame.Pong f) {
            listener.onPong(f);
        } else if (frame instanceof ServerFrame.Error f) {
            listener.onError(f);
        }
    }

    private static @Nullable String refOf(ServerFrame frame) {
        if (frame instanceof ServerFrame.Sent f) {
            return f.ref();
        } else if (frame instanceof ServerFrame.Conversation f) {
            return f.ref();
        } else if (frame instanceof ServerFrame.History f) {
            return f.ref();
        } else if (frame instanceof ServerFrame.Conversations f) {
            return f.ref();
        } else if (frame instanceof ServerFrame.Contacts f) {
            return f.ref();
        } else if (frame instanceof ServerFrame.Ok f) {
            return f.ref();
        } else if (frame instanceof ServerFrame.Pong f) {
            return f.ref();
        } else if (frame instanceof ServerFrame.Error f) {
            return f.ref();
        }
        return null;
    }

    /** Runs a task on the event thread; listener failures are logged by type only. */
    private void dispatch(Runnable task) {
        try {
            events.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("a CareChat listener failed ({})", e.getClass().getName());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("the client is closed; an event was dropped");
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The JDK WebSocket's listener for one connection attempt. */
    private final class SocketListener implements WebSocket.Listener {
        private final long gen;
        private final StringBuilder partial = new StringBuilder();

        SocketListener(long gen) {
            this.gen = gen;
        }

        @Override
        public void onOpen(WebSocket ws) {
            synchronized (lock) {
                if (gen != generation || state == State.CLOSED) {
                    ws.abort();
                    return;
                }
                socket = ws;
                outbound = CompletableFuture.completedFuture(null);
            }
            ws.request(1);
        }

        @Override
        public @Nullable CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (partial.length() > MAX_FRAME_CHARS) {
                partial.setLength(0);
                ws.abort();
                disconnected(gen, 1009, "frame_too_large", null);
                return null;
            }
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                onFrame(gen, text);
            }
            ws.request(1);
            return null;
        }

        @Override
        public @Nullable CompletionStage<?> onBinary(WebSocket ws, java.nio.ByteBuffer data, boolean last) {
            ws.request(1);
            return null;
        }

        @Override
        public @Nullable CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            disconnected(gen, statusCode, reason, null);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            disconnected(gen, 1006, "", error);
        }
    }

    /**
     * Configures a {@link CareChatClient}; {@link #build()} checks every value and reports all
     * problems together. Not thread-safe; use from one thread.
     */
    public static final class Builder {
        private @Nullable URI uri;
        private @Nullable Supplier<String> tokens;
        private @Nullable String origin;
        private CareChatListener listener = new CareChatListener() {};
        private boolean reconnect = true;
        private Duration initialBackoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private @Nullable SSLContext sslContext;

        private Builder() {}

        /**
         * Sets the endpoint, such as {@code wss://chat.hospital.example/ws}. Required; it must
         * carry no query string.
         *
         * @param value the URI
         * @return this builder
         */
        public Builder uri(URI value) {
            this.uri = requireNonNull(value, "uri");
            return this;
        }

        /**
         * Sets where access tokens come from; called at every (re)connect and by
         * {@link CareChatClient#reauthenticate()}. Required.
         *
         * @param value the supplier, returning a current access token
         * @return this builder
         */
        public Builder tokenSupplier(Supplier<String> value) {
            this.tokens = requireNonNull(value, "tokenSupplier");
            return this;
        }

        /**
         * Sends this {@code Origin} on the upgrade; by default none is sent.
         *
         * @param value the origin, such as {@code https://chat.hospital.example}
         * @return this builder
         */
        public Builder origin(String value) {
            this.origin = requireNonNull(value, "origin");
            return this;
        }

        /**
         * Sets the listener; the default ignores everything.
         *
         * @param value the listener
         * @return this builder
         */
        public Builder listener(CareChatListener value) {
            this.listener = requireNonNull(value, "listener");
            return this;
        }

        /**
         * Turns reconnection on (the default) or off.
         *
         * @param value false to give up after the first lost connection
         * @return this builder
         */
        public Builder reconnect(boolean value) {
            this.reconnect = value;
            return this;
        }

        /**
         * Sets the backoff between reconnect attempts: it starts at {@code initial}, doubles per
         * failed attempt up to {@code max}, and each wait is jittered to between half and all of
         * that. Defaults: 250 ms and 30 s.
         *
         * @param initial the first backoff, positive
         * @param max the largest backoff, at least {@code initial}
         * @return this builder
         */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = requireNonNull(initial, "initial");
            this.maxBackoff = requireNonNull(max, "max");
            return this;
        }

        /**
         * Sets the connect timeout; the default is 10 s.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = requireNonNull(value, "connectTimeout");
            return this;
        }

        /**
         * Sets how long a request other than {@code send} waits for its reply; the default is
         * 30 s.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = requireNonNull(value, "requestTimeout");
            return this;
        }

        /**
         * Sets the TLS context for {@code wss}, for instance one trusting a private CA; the
         * default is the JDK's.
         *
         * @param value the context
         * @return this builder
         */
        public Builder sslContext(SSLContext value) {
            this.sslContext = requireNonNull(value, "sslContext");
            return this;
        }

        /**
         * Checks the configuration and builds the client, not yet connected.
         *
         * @return the client
         * @throws ConfigurationException listing every problem found
         */
        public CareChatClient build() {
            List<String> problems = new ArrayList<>();
            if (uri == null) {
                problems.add("uri is required");
            } else {
                if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
                    problems.add("uri must be ws:// or wss://");
                }
                if (uri.getRawQuery() != null) {
                    problems.add("uri must carry no query string; tokens never travel in a URL");
                }
            }
            if (tokens == null) {
                problems.add("tokenSupplier is required");
            }
            if (!positive(initialBackoff) || !positive(maxBackoff) || maxBackoff.compareTo(initialBackoff) < 0) {
                problems.add("backoff must be positive with max at least initial");
            }
            if (!positive(connectTimeout)) {
                problems.add("connectTimeout must be positive");
            }
            if (!positive(requestTimeout)) {
                problems.add("requestTimeout must be positive");
            }
            if (uri == null || tokens == null || !problems.isEmpty()) {
                throw new ConfigurationException("CareChatClient", problems);
            }
            return new CareChatClient(this, uri, tokens);
        }

        private static boolean positive(Duration value) {
            return !value.isNegative() && !value.isZero();
        }
    }
}

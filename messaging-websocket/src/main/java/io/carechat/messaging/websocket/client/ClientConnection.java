package io.carechat.messaging.websocket.client;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.UserId;
import io.carechat.messaging.protocol.ClientFrame;
import io.carechat.messaging.protocol.FrameException;
import io.carechat.messaging.protocol.ProtocolCodec;
import io.carechat.messaging.protocol.ServerFrame;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java client's connection and its reconnects: one {@link ClientSocket} at a time, a session
 * once its {@code ready} arrives, and after a lost connection a new socket, with a new token, after
 * an exponential backoff with jitter (the longest one after 1008 {@code too_many_sockets}). It
 * checks that the connection still works with a {@code ping} when the server has been silent, or a
 * send has waited, for the keep-alive time: a ping unanswered within the request timeout ends the
 * connection (a half-open TCP connection, a stalled proxy), and once one is answered, the sends that
 * went out before it and have no answer go again (the server answers in request order, so they were
 * lost). It routes every server frame: messages to the {@link AckBatcher}, replies to the
 * {@link PendingRequests}, everything to the {@link ListenerDispatch}.
 *
 * <p>Not API. Thread-safe: one lock guards the session state and is shared with the ack batcher
 * and the pending requests, so that a {@code ready} and the sends it replays, or a flush of
 * acknowledgements and the request after it, happen as one step. Lifecycle: {@link #connect()}
 * once, {@link #close()} once; a closed connection does not reconnect. It owns its timer and event
 * threads and stops them on close.
 */
final class ClientConnection {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    private static final ProtocolCodec CODEC = ProtocolCodec.withDefaults();
    /** The close code of a socket refused because the user has too many. */
    private static final int TOO_MANY_SOCKETS = 1008;

    private enum State { NEW, CONNECTING, CONNECTED, CLOSED }

    private final ClientSocket.Endpoint endpoint;
    private final Supplier<String> tokens;
    private final boolean reconnect;
    private final Backoff backoff;
    private final Duration keepAlive;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            daemon("carechat-client-timer"));
    private final ExecutorService events = Executors.newSingleThreadExecutor(daemon("carechat-client-events"));
    private final ListenerDispatch dispatch;
    private final PendingRequests requests;
    private final AckBatcher acks;
    private final SocketEvents socketEvents = new SocketEvents();
    private final CompletableFuture<ServerFrame.Ready> firstReady = new CompletableFuture<>();

    private final Object lock = new Object();
    private State state = State.NEW;
    private @Nullable ClientSocket socket;
    private boolean ready;
    private boolean everReady;
    private int attempt;
    private boolean closeCalled;
    private volatile @Nullable UserId userId;
    /** When the current socket last brought a frame, by {@link System#nanoTime()}. */
    private volatile long lastHeard = System.nanoTime();
    /** The socket a keep-alive ping is out on, if any. */
    private @Nullable ClientSocket checking;

    /**
     * Creates the connection, not yet connected.
     *
     * @param endpoint where to connect
     * @param tokens gives an access token for each connection
     * @param listener hears every server frame and the connection's events
     * @param reconnect whether to reconnect after a lost connection
     * @param backoff the wait before each reconnect, and before each retry of a send answered
     *     {@code unavailable}
     * @param requestTimeout how long a request other than {@code send} waits for its reply
     * @param keepAlive how long the server may be silent, or a send wait, before a ping checks the
     *     connection; zero for no checks
     */
    public ClientConnection(ClientSocket.Endpoint endpoint, Supplier<String> tokens, CareChatListener listener,
            boolean reconnect, Backoff backoff, Duration requestTimeout, Duration keepAlive) {
        this.endpoint = requireNonNull(endpoint, "endpoint");
        this.tokens = requireNonNull(tokens, "tokens");
        this.reconnect = reconnect;
        this.backoff = requireNonNull(backoff, "backoff");
        this.keepAlive = requireNonNull(keepAlive, "keepAlive");
        this.dispatch = new ListenerDispatch(listener, events);
        this.acks = new AckBatcher(lock, timer, this::transmit);
        this.requests = new PendingRequests(lock, timer, backoff, requestTimeout, this::resend);
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Connects; returns at once and keeps (re)connecting until {@link #close()}.
     *
     * @return completed with the first {@code ready}; exceptionally when closed first, or when
     *     reconnection is off and the first attempt fails
     * @throws IllegalStateException when called twice or after close
     */
    public CompletableFuture<ServerFrame.Ready> connect() {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("connect() may be called once, before close()");
            }
            state = State.CONNECTING;
        }
        if (!keepAlive.isZero()) {
            long period = Math.max(keepAlive.toNanos() / 4, TimeUnit.MILLISECONDS.toNanos(10));
            timer.scheduleWithFixedDelay(this::checkLiveness, period, period, TimeUnit.NANOSECONDS);
        }
        openSocket();
        return firstReady.thenApply(Function.identity());
    }

    /**
     * Tells whether a session is up.
     *
     * @return true once {@code ready} arrived, until the connection is lost
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
     * Sends the gathered acknowledgements, closes the socket with 1000 after its queued frames,
     * stops reconnecting and fails every pending request with {@link NotConnectedException}.
     * Idempotent.
     */
    public void close() {
        ClientSocket last;
        List<CompletableFuture<ServerFrame>> abandoned;
        synchronized (lock) {
            if (closeCalled) {
                return;
            }
            closeCalled = true;
            acks.flush();
            state = State.CLOSED;
            last = socket;
            socket = null;
            ready = false;
            abandoned = requests.endAll();
        }
        NotConnectedException closed = new NotConnectedException("the client is closed");
        abandoned.forEach(reply -> reply.completeExceptionally(closed));
        firstReady.completeExceptionally(closed);
        if (last != null) {
            last.close(WebSocket.NORMAL_CLOSURE, "client_closed");
        }
        timer.shutdownNow();
        events.shutdown();
    }

    // ---------------------------------------------------------------- requests

    /**
     * A new ref for a request.
     *
     * @return the ref
     */
    public String nextRef() {
        return requests.nextRef();
    }

    /**
     * Sends a message now if there is a session, and keeps it until its {@code sent} either way.
     *
     * @param frame the send, with a ref from {@link #nextRef()}
     * @return completed with the reply; exceptionally with {@link NotConnectedException} when the
     *     client is closed
     */
    public CompletableFuture<ServerFrame> send(ClientFrame.Send frame) {
        synchronized (lock) {
            if (state == State.CLOSED) {
                return CompletableFuture.failedFuture(new NotConnectedException("the client is closed"));
            }
            CompletableFuture<ServerFrame> reply = requests.addSend(frame);
            if (ready) {
                acks.flush();
                transmitSend(frame);
            }
            return reply;
        }
    }

    /**
     * Sends a request other than {@code send}, after the gathered acknowledgements.
     *
     * @param make makes the frame for a ref
     * @return completed with the reply; exceptionally with {@link NotConnectedException} when
     *     there is no session
     */
    public CompletableFuture<ServerFrame> request(Function<String, ClientFrame> make) {
        String ref = nextRef();
        ClientFrame frame = make.apply(ref);
        synchronized (lock) {
            if (!ready) {
                return CompletableFuture.failedFuture(new NotConnectedException("not connected"));
            }
            CompletableFuture<ServerFrame> reply = requests.addRequest(ref);
            acks.flush();
            transmit(frame);
            return reply;
        }
    }

    /** Queues a frame on the session's socket, after the frames before it; dropped without a session. */
    private void transmit(ClientFrame frame) {
        String text = CODEC.encode(frame);
        synchronized (lock) {
            ClientSocket s = socket;
            if (s != null && ready) {
                s.send(text);
            }
        }
    }

    /** Queues a kept send on the session's socket and notes when it went. Call holding the lock. */
    private void transmitSend(ClientFrame.Send frame) {
        if (socket != null && ready) {
            transmit(frame);
            requests.transmitted(frame);
        }
    }

    /** Sends a kept send again, for the pending requests' retry. Called holding the lock. */
    private void resend(ClientFrame.Send frame) {
        if (ready) {
            acks.flush();
            transmitSend(frame);
        }
    }

    // ---------------------------------------------------------------- keep-alive

    /**
     * On the timer: pings when the server has been silent, or a send has waited, for the
     * keep-alive time, unless a ping is out already.
     */
    private void checkLiveness() {
        ClientSocket current;
        long sentBefore;
        synchronized (lock) {
            if (!ready || socket == null || checking == socket) {
                return;
            }
            long since = System.nanoTime() - keepAlive.toNanos();
            if (lastHeard - since > 0 && !requests.sendWaitingSince(since)) {
                return;
            }
            current = socket;
            checking = current;
            sentBefore = requests.lastTransmission();
        }
        request(ClientFrame.Ping::new).whenComplete((pong, failure) -> checked(current, sentBefore, failure));
    }

    /**
     * After a keep-alive ping: answered, the sends that went out before it and still wait go
     * again; unanswered in time, the connection is dropped and made anew.
     */
    private void checked(ClientSocket pinged, long sentBefore, @Nullable Throwable failure) {
        synchronized (lock) {
            if (checking == pinged) {
                checking = null;
            }
            if (pinged != socket) {
                return;
            }
            if (failure == null) {
                List<ClientFrame.Send> lost = requests.sendsTransmittedBy(sentBefore);
                if (!lost.isEmpty()) {
                    LOG.info("{} send(s) had no answer before a later ping's; sending them again", lost.size());
                    acks.flush();
                    lost.forEach(this::transmitSend);
                }
                return;
            }
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof TimeoutException) {
            LOG.info("the server did not answer a ping in time; connecting again");
            pinged.abort();
            onLost(pinged, 1006, "keep_alive_timeout", cause);
        }
    }

    // ---------------------------------------------------------------- connection

    private void openSocket() {
        ClientSocket next = new ClientSocket(socketEvents);
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            socket = next;
        }
        next.open(endpoint, tokens);
    }

    /** Handles a frame of a socket, unless it is no longer the current one. */
    private void onFrame(ClientSocket from, String text) {
        synchronized (lock) {
            if (from != socket) {
                return;
            }
        }
        lastHeard = System.nanoTime();
        ServerFrame frame;
        try {
            frame = CODEC.decodeServer(text);
        } catch (FrameException e) {
            LOG.warn("ignoring a server frame this client cannot read");
            return;
        }
        if (frame instanceof ServerFrame.Ready r) {
            onReady(from, r);
            return;
        }
        acks.hold(frame);
        Runnable complete = requests.answer(frame);
        dispatch.run(() -> {
            complete.run();
            dispatch.frame(frame);
        });
    }

    /** Starts a session: replays the kept sends, then tells the listener. */
    private void onReady(ClientSocket from, ServerFrame.Ready r) {
        boolean reconnected;
        synchronized (lock) {
            if (from != socket) {
                return;
            }
            ready = true;
            attempt = 0;
            state = State.CONNECTED;
            reconnected = everReady;
            everReady = true;
            userId = r.userId();
            acks.restart(r.conversations());
            requests.sends().forEach(this::transmitSend);
        }
        dispatch.run(() -> {
            firstReady.complete(r);
            dispatch.frame(r);
            if (reconnected) {
                dispatch.reconnected(r);
            }
        });
    }

    /** Ends the current socket: fails what does not outlive it and reconnects after a backoff. */
    private void onLost(ClientSocket lost, int code, String reason, @Nullable Throwable cause) {
        List<CompletableFuture<ServerFrame>> failed;
        long delay = -1;
        synchronized (lock) {
            if (lost != socket || state == State.CLOSED) {
                return;
            }
            socket = null;
            ready = false;
            failed = requests.endLost(reconnect);
            if (reconnect) {
                state = State.CONNECTING;
                // Too many sockets: retrying soon cannot help, so wait the longest backoff.
                delay = backoff.delayMillis(code == TOO_MANY_SOCKETS ? Integer.MAX_VALUE : attempt++);
            } else {
                state = State.CLOSED;
            }
        }
        NotConnectedException notConnected = new NotConnectedException("the connection was lost");
        dispatch.run(() -> {
            failed.forEach(reply -> reply.completeExceptionally(notConnected));
            if (!reconnect) {
                firstReady.completeExceptionally(cause != null ? cause : notConnected);
            }
            dispatch.disconnected(code, reason);
        });
        if (delay >= 0) {
            try {
                timer.schedule(this::openSocket, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debug("closed while scheduling a reconnect");
            }
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** What the sockets report; a socket that is no longer the current one is not heard. */
    private final class SocketEvents implements ClientSocket.Events {
        @Override
        public boolean opened(ClientSocket s) {
            synchronized (lock) {
                return s == socket && state != State.CLOSED;
            }
        }

        @Override
        public void text(ClientSocket s, String text) {
            onFrame(s, text);
        }

        @Override
        public void closed(ClientSocket s, int code, String reason, @Nullable Throwable cause) {
            onLost(s, code, reason, cause);
        }
    }
}

package io.carechat.messaging.websocket.client;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.protocol.ClientFrame;
import io.carechat.messaging.protocol.ServerFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java client's requests that wait for their replies, matched by {@code ref}: a reply
 * completes its request's future, an {@code error} completes it with a
 * {@link ServerErrorException}. A {@code send} is kept until its {@code sent}: across a lost
 * connection, to go again with the same {@code clientMsgId} after the next {@code ready}, and after
 * an {@code unavailable} error, to go again after a backoff. Other requests time out, and fail when
 * the connection is lost.
 *
 * <p>Not API. Thread-safe: its state is guarded by the lock of the {@link ClientConnection} it
 * serves, which that connection also holds around adding a request and transmitting it. Lifecycle:
 * lives as long as its client.
 */
final class PendingRequests {
    private static final Logger LOG = LoggerFactory.getLogger(PendingRequests.class);
    private static final Runnable NOTHING = () -> { };

    /**
     * A request waiting for its reply; a send keeps its frame for retries, and when it last went
     * out (guarded by the lock).
     */
    private static final class Pending {
        private final CompletableFuture<ServerFrame> reply;
        private final ClientFrame.@Nullable Send send;
        private final AtomicInteger retries = new AtomicInteger();
        /** The number of the send's last transmission, 0 before its first. */
        private long transmission;
        /** When it last went out, by {@link System#nanoTime()}. */
        private long transmittedAt;

        Pending(CompletableFuture<ServerFrame> reply, ClientFrame.@Nullable Send send) {
            this.reply = reply;
            this.send = send;
        }

        CompletableFuture<ServerFrame> reply() {
            return reply;
        }

        ClientFrame.@Nullable Send send() {
            return send;
        }

        AtomicInteger retries() {
            return retries;
        }

        void complete(ServerFrame frame) {
            if (frame instanceof ServerFrame.Error e) {
                reply.completeExceptionally(new ServerErrorException(e.code(), e.message()));
            } else {
                reply.complete(frame);
            }
        }
    }

    private final Object lock;
    private final ScheduledExecutorService timer;
    private final Backoff backoff;
    private final Duration timeout;
    private final Consumer<ClientFrame.Send> resend;
    private final AtomicLong refNumbers = new AtomicLong();
    /** Counts the transmissions of sends, guarded by the lock. */
    private long transmissions;
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    /**
     * Creates the registry.
     *
     * @param lock the connection's lock
     * @param timer runs retries
     * @param backoff the wait before each retry of a send answered {@code unavailable}
     * @param timeout how long a request other than {@code send} waits for its reply
     * @param resend sends a kept {@code send} again if there is a session; called holding the lock
     */
    public PendingRequests(Object lock, ScheduledExecutorService timer, Backoff backoff, Duration timeout,
            Consumer<ClientFrame.Send> resend) {
        this.lock = requireNonNull(lock, "lock");
        this.timer = requireNonNull(timer, "timer");
        this.backoff = requireNonNull(backoff, "backoff");
        this.timeout = requireNonNull(timeout, "timeout");
        this.resend = requireNonNull(resend, "resend");
    }

    /**
     * A new ref, unique within this client.
     *
     * @return the ref
     */
    public String nextRef() {
        return "r" + refNumbers.incrementAndGet();
    }

    /**
     * Keeps a send until its {@code sent}.
     *
     * @param frame the send, with a ref
     * @return completed with the reply
     */
    public CompletableFuture<ServerFrame> addSend(ClientFrame.Send frame) {
        CompletableFuture<ServerFrame> reply = new CompletableFuture<>();
        synchronized (lock) {
            pending.put(requireNonNull(frame.ref(), "ref"), new Pending(reply, frame));
        }
        return reply;
    }

    /** How many requests and sends wait for their answer. */
    int waiting() {
        synchronized (lock) {
            return pending.size();
        }
    }

    /**
     * Waits for the reply to another request, until the timeout.
     *
     * @param ref the request's ref
     * @return completed with the reply; exceptionally with a
     *     {@link java.util.concurrent.TimeoutException} when none came in time
     */
    public CompletableFuture<ServerFrame> addRequest(String ref) {
        CompletableFuture<ServerFrame> reply = new CompletableFuture<>();
        synchronized (lock) {
            pending.put(ref, new Pending(reply, null));
        }
        reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((f, e) -> {
            if (e != null) {
                synchronized (lock) {
                    pending.remove(ref);
                }
            }
        });
        return reply;
    }

    /**
     * Matches a server frame to the request it answers. A send answered {@code unavailable} stays
     * and goes again after a backoff; any other answer ends its request.
     *
     * @param frame a server frame
     * @return what completes the request's future, to run on the event thread; nothing when the
     *     frame answers no waiting request
     */
    public Runnable answer(ServerFrame frame) {
        String ref = frame.ref();
        if (ref == null) {
            return NOTHING;
        }
        Pending p;
        synchronized (lock) {
            p = pending.get(ref);
            if (p == null) {
                return NOTHING;
            }
            if (p.send() != null && frame instanceof ServerFrame.Error e && e.code() == ErrorCode.UNAVAILABLE) {
                retryLater(ref, p);
                return NOTHING;
            }
            pending.remove(ref);
        }
        return () -> p.complete(frame);
    }

    /**
     * The sends still waiting for their {@code sent}, in the order they were made, to go again
     * after a {@code ready}.
     *
     * @return the sends
     */
    public List<ClientFrame.Send> sends() {
        synchronized (lock) {
            List<ClientFrame.Send> sends = new ArrayList<>();
            for (Pending p : pending.values()) {
                if (p.send() != null) {
                    sends.add(p.send());
                }
            }
            return sends;
        }
    }

    /**
     * Ends the requests that do not outlive a lost connection: all but the sends, or every one
     * when the sends are not to be retried.
     *
     * @param keepSends whether sends stay, to go again after the next {@code ready}
     * @return the replies of the ended requests, to fail
     */
    public List<CompletableFuture<ServerFrame>> endLost(boolean keepSends) {
        List<CompletableFuture<ServerFrame>> ended = new ArrayList<>();
        synchronized (lock) {
            pending.values().removeIf(p -> {
                boolean end = p.send() == null || !keepSends;
                if (end) {
                    ended.add(p.reply());
                }
                return end;
            });
        }
        return ended;
    }

    /**
     * Ends every request, when the client closes.
     *
     * @return their replies, to fail
     */
    public List<CompletableFuture<ServerFrame>> endAll() {
        return endLost(false);
    }

    /**
     * Notes that a kept send went out now. Call holding the lock, after handing it to the socket.
     *
     * @param frame the send
     */
    public void transmitted(ClientFrame.Send frame) {
        synchronized (lock) {
            Pending p = pending.get(requireNonNull(frame.ref(), "ref"));
            if (p != null && p.send() == frame) {
                p.transmission = ++transmissions;
                p.transmittedAt = System.nanoTime();
            }
        }
    }

    /**
     * The number of the last transmission of a send, to tell later which sends went out before a
     * request does.
     *
     * @return the number, 0 before any
     */
    public long lastTransmission() {
        synchronized (lock) {
            return transmissions;
        }
    }

    /**
     * Tells whether a send that went out waits for its answer since before a moment.
     *
     * @param nanoTime the moment, by {@link System#nanoTime()}
     * @return true when one does
     */
    public boolean sendWaitingSince(long nanoTime) {
        synchronized (lock) {
            for (Pending p : pending.values()) {
                if (p.send() != null && p.transmission > 0 && p.transmittedAt - nanoTime <= 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * The sends still waiting whose last transmission came at or before a given one. Since the
     * server answers a socket's requests in order, such a send is lost once a request after it
     * was answered, and may go again with its {@code clientMsgId}.
     *
     * @param transmission the number from {@link #lastTransmission()}
     * @return the sends, in the order they were made
     */
    public List<ClientFrame.Send> sendsTransmittedBy(long transmission) {
        synchronized (lock) {
            List<ClientFrame.Send> sends = new ArrayList<>();
            for (Pending p : pending.values()) {
                if (p.send() != null && p.transmission > 0 && p.transmission <= transmission) {
                    sends.add(p.send());
                }
            }
            return sends;
        }
    }

    /** Sends a send again after a backoff, as the contract asks when storage was unavailable. */
    private void retryLater(String ref, Pending p) {
        int attempt = p.retries().getAndIncrement();
        try {
            timer.schedule(() -> {
                synchronized (lock) {
                    if (pending.get(ref) == p) {
                        resend.accept(requireNonNull(p.send(), "send"));
                    }
                }
            }, backoff.delayMillis(attempt), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("closed while scheduling a retry");
        }
    }
}

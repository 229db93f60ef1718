package io.carechat.messaging.websocket.client;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.protocol.ClientFrame;
import io.carechat.messaging.protocol.ContactView;
import io.carechat.messaging.protocol.ConversationView;
import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.protocol.ServerFrame;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

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
 * down) is sent again after a backoff; the server stores it once. A connection that stops working
 * without closing is found out by a {@code ping} after {@link Builder#keepAlive(Duration)} of silence
 * or of a send waiting, and replaced. Other requests fail with
 * {@link NotConnectedException} when there is no session, and with {@link ServerErrorException}
 * when the server answers {@code error}.
 *
 * <p>Thread-safe: every method may be called from any thread. Replies complete their futures, and
 * listeners are called, on one event thread of the client, in the order frames arrived (a
 * timeout, a lost connection or {@link #close()} fails futures from the thread that saw it).
 *
 * <p>Lifecycle: build, {@link #connect()} once, use, {@link #close()} once (also after the
 * connection failed for good); a closed client does not reconnect and cannot be reused.
 *
 * <p>This class is the API; the work is done by parts in the internal package: the connection
 * and its reconnects, the requests waiting for replies with the retries of sends, the batching of
 * acknowledgements, and the dispatch of frames to the listener.
 */
public final class CareChatClient implements AutoCloseable {
    private final Supplier<String> tokens;
    private final ClientConnection connection;

    private CareChatClient(Builder b, URI uri, Supplier<String> tokens) {
        this.tokens = tokens;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(b.connectTimeout);
        if (b.sslContext != null) {
            http.sslContext(b.sslContext);
        }
        Backoff backoff = new Backoff(b.initialBackoff, b.maxBackoff,
                bound -> ThreadLocalRandom.current().nextLong(bound + 1));
        this.connection = new ClientConnection(new ClientSocket.Endpoint(http.build(), uri, b.origin, b.connectTimeout),
                tokens, b.listener, b.reconnect, backoff, b.requestTimeout, b.keepAlive);
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
        return connection.connect();
    }

    /**
     * Tells whether a session is up (authenticated, {@code ready} received).
     *
     * @return true when connected
     */
    public boolean isConnected() {
        return connection.isConnected();
    }

    /**
     * The user of the last session.
     *
     * @return the user, or null before the first {@code ready}
     */
    public @Nullable UserId userId() {
        return connection.userId();
    }

    /**
     * Closes the connection with 1000, stops reconnecting and fails every pending request and
     * unacknowledged send with {@link NotConnectedException}. Idempotent.
     */
    @Override
    public void close() {
        connection.close();
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
        ClientFrame.Send frame = new ClientFrame.Send(connection.nextRef(),
                requireNonNull(conversationId, "conversationId"), requireNonNull(clientMsgId, "clientMsgId"),
                requireNonNull(body, "body"), requireNonNull(priority, "priority"),
                requireNonNull(attachments, "attachments"));
        return connection.send(frame).thenApply(f -> expect(ServerFrame.Sent.class, f).message());
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
     * Creates a care team: a group conversation with a title, the caller as its first member and
     * the others after (the {@code open} frame with {@code title} and {@code members}). The server's
     * access policy decides; by default only a doctor may, with 2 to 50 patients and doctors.
     *
     * @param title the team's title, 1 to 100 characters
     * @param members the other members
     * @return completed with the group, or failed with {@link ServerErrorException} (such as
     *     {@code forbidden} or {@code bad_request})
     */
    public CompletableFuture<Conversation> openGroup(String title, List<UserId> members) {
        requireNonNull(title, "title");
        List<UserId> others = List.copyOf(members);
        return request(ref -> ClientFrame.Open.group(ref, title, others), ServerFrame.Conversation.class)
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
        return connection.request(make).thenApply(f -> expect(type, f));
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
        private Duration keepAlive = Duration.ofSeconds(30);
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
         * Sets how long the server may stay silent, or a send wait for its answer, before the
         * client checks the connection with a {@code ping}; the default is 30 s, zero turns the
         * checks off. A ping unanswered within the request timeout ends the connection, and the
         * client connects again and resends what waits (a half-open TCP connection or a stalled
         * proxy is otherwise never noticed); once a ping is answered, a send that went out before
         * it and has no answer goes again with its {@code clientMsgId}, since the server answers in
         * request order. Pings do not count as activity for the server's idle logoff.
         *
         * @param value zero or a positive duration
         * @return this builder
         */
        public Builder keepAlive(Duration value) {
            this.keepAlive = requireNonNull(value, "keepAlive");
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
            if (keepAlive.isNegative()) {
                problems.add("keepAlive must be zero (off) or positive");
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

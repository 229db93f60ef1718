package io.carechat.messaging.hub;

import io.carechat.messaging.error.ConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every limit of the WebSocket contract that the {@link Hub} enforces. Immutable and thread-safe;
 * build one with {@link #builder()}, which checks every value and reports all problems at once.
 *
 * @param authTimeout how long a socket may stay unauthenticated (default 10 s; then close 4408)
 * @param maxSocketsPerUser the most live sessions per user on this hub (default 10; a further
 *     one is closed with 1008 {@code too_many_sockets})
 * @param maxQueuedBytes the most bytes queued towards one socket (default 4 MiB); a frame that
 *     would exceed it closes the session with 4429 {@code slow_consumer}
 * @param maxPendingRequests the most frames of one session waiting to be served (default 64);
 *     beyond it a frame gets {@code error rate_limited} at once
 * @param idleTimeout close with 4401 {@code idle_timeout} after this long without a client frame
 *     other than {@code ping}; {@link Duration#ZERO} (the default) turns it off
 * @param maxBacklogMessages the most backlog messages pushed over all conversations when a session
 *     starts (default 2,000; each conversation is also bounded by the facade's backlog limit); the
 *     rest comes through {@code history}
 * @param timerInterval how often the hub checks timeouts and token expiry (default 1 s); deadlines
 *     are met within this much
 * @param requestDeadline the longest a request of a live session waits for its answer, counted from
 *     the moment its frame arrived (default 5 s): one not answered by then, such as a send whose
 *     commit has not come while storage cannot serve, gets {@code error unavailable} (met within
 *     {@code timerInterval}), and one whose turn comes only after it is served not at all. A send
 *     committed later is stored once all the same, and its retry with the same {@code clientMsgId}
 *     gets that message. Keep it well below clients' own request timeouts.
 * @param catchUpRetry how long a live session waits before it tries again a catch-up that failed
 *     (default 1 s), such as one after a {@link io.carechat.messaging.event.Resync} while storage
 *     had no connection to give; the wait doubles with each failure in a row, up to 32 times this,
 *     and the session keeps trying until a catch-up succeeds or it closes
 * @param gapWait how long a live session holds a conversation's message that does not follow the
 *     last one it sent (default 1 s, met within {@code timerInterval}): the missing ones usually
 *     come from the bus meanwhile; if not, a catch-up reads them from the store
 */
public record HubSettings(
        Duration authTimeout,
        int maxSocketsPerUser,
        long maxQueuedBytes,
        int maxPendingRequests,
        Duration idleTimeout,
        int maxBacklogMessages,
        Duration timerInterval,
        Duration requestDeadline,
        Duration catchUpRetry,
        Duration gapWait) {

    /**
     * The contract's defaults.
     *
     * @return the settings
     */
    public static HubSettings defaults() {
        return builder().build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from these settings.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.authTimeout = authTimeout;
        b.maxSocketsPerUser = maxSocketsPerUser;
        b.maxQueuedBytes = maxQueuedBytes;
        b.maxPendingRequests = maxPendingRequests;
        b.idleTimeout = idleTimeout;
        b.maxBacklogMessages = maxBacklogMessages;
        b.timerInterval = timerInterval;
        b.requestDeadline = requestDeadline;
        b.catchUpRetry = catchUpRetry;
        b.gapWait = gapWait;
        return b;
    }

    /**
     * Tells whether idle logoff is on.
     *
     * @return true when {@link #idleTimeout()} is positive
     */
    public boolean idleLogoff() {
        return !idleTimeout.isZero();
    }

    /** Builds {@link HubSettings}. Not thread-safe; use from one thread. */
    public static final class Builder {
        private Duration authTimeout = Duration.ofSeconds(10);
        private int maxSocketsPerUser = 10;
        private long maxQueuedBytes = 4L * 1024 * 1024;
        private int maxPendingRequests = 64;
        private Duration idleTimeout = Duration.ZERO;
        private int maxBacklogMessages = 2000;
        private Duration timerInterval = Duration.ofSeconds(1);
        private Duration requestDeadline = Duration.ofSeconds(5);
        private Duration catchUpRetry = Duration.ofSeconds(1);
        private Duration gapWait = Duration.ofSeconds(1);

        private Builder() {}

        /**
         * Sets the authentication timeout.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder authTimeout(Duration value) {
            this.authTimeout = value;
            return this;
        }

        /**
         * Sets the most sockets per user.
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder maxSocketsPerUser(int value) {
            this.maxSocketsPerUser = value;
            return this;
        }

        /**
         * Sets the outbound queue bound per socket.
         *
         * @param value bytes, at least 1,024
         * @return this builder
         */
        public Builder maxQueuedBytes(long value) {
            this.maxQueuedBytes = value;
            return this;
        }

        /**
         * Sets the most frames of one session waiting to be served.
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder maxPendingRequests(int value) {
            this.maxPendingRequests = value;
            return this;
        }

        /**
         * Sets the idle logoff time.
         *
         * @param value a positive duration, or zero for none
         * @return this builder
         */
        public Builder idleTimeout(Duration value) {
            this.idleTimeout = value;
            return this;
        }

        /**
         * Sets the most backlog messages pushed when a session starts.
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder maxBacklogMessages(int value) {
            this.maxBacklogMessages = value;
            return this;
        }

        /**
         * Sets how often timeouts are checked.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder timerInterval(Duration value) {
            this.timerInterval = value;
            return this;
        }

        /**
         * Sets the longest a request waits for its answer from its arrival.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder requestDeadline(Duration value) {
            this.requestDeadline = value;
            return this;
        }

        /**
         * Sets the first wait before a failed catch-up is tried again.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder catchUpRetry(Duration value) {
            this.catchUpRetry = value;
            return this;
        }

        /**
         * Sets how long a message that does not follow the last one sent waits for the missing
         * ones before a catch-up reads them.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder gapWait(Duration value) {
            this.gapWait = value;
            return this;
        }

        /**
         * Checks every value and makes the settings.
         *
         * @return the settings
         * @throws ConfigurationException listing every problem found
         */
        public HubSettings build() {
            List<String> problems = new ArrayList<>();
            positive(problems, "authTimeout", authTimeout);
            atLeast(problems, "maxSocketsPerUser", maxSocketsPerUser, 1);
            atLeast(problems, "maxQueuedBytes", maxQueuedBytes, 1024);
            atLeast(problems, "maxPendingRequests", maxPendingRequests, 1);
            if (idleTimeout == null || idleTimeout.isNegative()) {
                problems.add("idleTimeout must be zero (off) or positive");
            }
            atLeast(problems, "maxBacklogMessages", maxBacklogMessages, 1);
            positive(problems, "timerInterval", timerInterval);
            positive(problems, "requestDeadline", requestDeadline);
            positive(problems, "catchUpRetry", catchUpRetry);
            positive(problems, "gapWait", gapWait);
            if (!problems.isEmpty()) {
                throw new ConfigurationException("HubSettings", problems);
            }
            return new HubSettings(authTimeout, maxSocketsPerUser, maxQueuedBytes,
                    maxPendingRequests, idleTimeout, maxBacklogMessages, timerInterval, requestDeadline,
                    catchUpRetry, gapWait);
        }

        private static void positive(List<String> problems, String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                problems.add(name + " must be positive");
            }
        }

        private static void atLeast(List<String> problems, String name, long value, long min) {
            if (value < min) {
                problems.add(name + " must be at least " + min + ", was " + value);
            }
        }
    }
}

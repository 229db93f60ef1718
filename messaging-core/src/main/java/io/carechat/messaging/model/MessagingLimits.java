package io.carechat.messaging.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The limits the facade enforces. Immutable and thread-safe; build one with {@link #builder()}.
 * Every limit is validated when {@link io.carechat.messaging.Messaging.Builder#build()} runs.
 *
 * @param maxBodyChars the longest message body, in characters (default 8,000)
 * @param maxAttachmentsPerMessage the most attachments one message may carry (default 10)
 * @param maxClientMsgIdLength the longest {@code clientMsgId} (default 64, the contract's value)
 * @param defaultHistoryLimit the page size when a history request names none (default 50)
 * @param maxHistoryLimit the largest page a history request may ask for (default 100)
 * @param maxContacts the most contacts one listing returns (default 500)
 * @param maxConversations the most conversations one listing returns (default 500)
 * @param backlogLimit the most messages pushed per conversation when a user comes online
 *     (default 500; older ones come through history)
 * @param sendRate sends per user, over every transport together (default 20/s, burst 40; the
 *     contract's); beyond it a send is refused with {@code rate_limited} and stores nothing
 * @param typingRate {@code typing} notices per user (default 5/s, burst 10)
 * @param presenceRate presence changes per user (default 2/s, burst 10)
 * @param historyRate history pages per user (default 20/s, burst 60)
 * @param maxGroupMembers the most members a group (a care team) may have besides its creator
 *     (default 50, the contract's; at least 2, since a group is made with 2 besides its creator)
 */
public record MessagingLimits(
        int maxBodyChars,
        int maxAttachmentsPerMessage,
        int maxClientMsgIdLength,
        int defaultHistoryLimit,
        int maxHistoryLimit,
        int maxContacts,
        int maxConversations,
        int backlogLimit,
        Rate sendRate,
        Rate typingRate,
        Rate presenceRate,
        Rate historyRate,
        int maxGroupMembers) {

    /**
     * The defaults of the wire contract.
     *
     * @return the default limits
     */
    public static MessagingLimits defaults() {
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
     * Checks every limit.
     *
     * @return one line per problem, empty when all is well
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        positive(problems, "maxBodyChars", maxBodyChars);
        if (maxAttachmentsPerMessage < 0) {
            problems.add("maxAttachmentsPerMessage must not be negative, was " + maxAttachmentsPerMessage);
        }
        if (maxClientMsgIdLength < 1 || maxClientMsgIdLength > 64) {
            problems.add("maxClientMsgIdLength must be 1 to 64, was " + maxClientMsgIdLength);
        }
        positive(problems, "maxHistoryLimit", maxHistoryLimit);
        if (defaultHistoryLimit < 1 || defaultHistoryLimit > maxHistoryLimit) {
            problems.add("defaultHistoryLimit must be 1 to maxHistoryLimit (" + maxHistoryLimit
                    + "), was " + defaultHistoryLimit);
        }
        positive(problems, "maxContacts", maxContacts);
        positive(problems, "maxConversations", maxConversations);
        positive(problems, "backlogLimit", backlogLimit);
        problems.addAll(sendRate.problems("sendRate"));
        problems.addAll(typingRate.problems("typingRate"));
        problems.addAll(presenceRate.problems("presenceRate"));
        problems.addAll(historyRate.problems("historyRate"));
        if (maxGroupMembers < 2) {
            problems.add("maxGroupMembers must be at least 2, was " + maxGroupMembers);
        }
        return problems;
    }

    private static void positive(List<String> problems, String name, int value) {
        if (value < 1) {
            problems.add(name + " must be at least 1, was " + value);
        }
    }

    /** Builds {@link MessagingLimits}. Not thread-safe; use from one thread. */
    public static final class Builder {
        private int maxBodyChars = 8_000;
        private int maxAttachmentsPerMessage = 10;
        private int maxClientMsgIdLength = 64;
        private int defaultHistoryLimit = 50;
        private int maxHistoryLimit = 100;
        private int maxContacts = 500;
        private int maxConversations = 500;
        private int backlogLimit = 500;
        private Rate sendRate = new Rate(20, 40);
        private Rate typingRate = new Rate(5, 10);
        private Rate presenceRate = new Rate(2, 10);
        private Rate historyRate = new Rate(20, 60);
        private int maxGroupMembers = 50;

        private Builder() {}

        /**
         * Sets the longest body.
         *
         * @param value characters
         * @return this builder
         */
        public Builder maxBodyChars(int value) {
            this.maxBodyChars = value;
            return this;
        }

        /**
         * Sets the most attachments per message.
         *
         * @param value the count
         * @return this builder
         */
        public Builder maxAttachmentsPerMessage(int value) {
            this.maxAttachmentsPerMessage = value;
            return this;
        }

        /**
         * Sets the longest {@code clientMsgId}.
         *
         * @param value characters, 1 to 64
         * @return this builder
         */
        public Builder maxClientMsgIdLength(int value) {
            this.maxClientMsgIdLength = value;
            return this;
        }

        /**
         * Sets the default history page size.
         *
         * @param value the size
         * @return this builder
         */
        public Builder defaultHistoryLimit(int value) {
            this.defaultHistoryLimit = value;
            return this;
        }

        /**
         * Sets the largest history page.
         *
         * @param value the size
         * @return this builder
         */
        public Builder maxHistoryLimit(int value) {
            this.maxHistoryLimit = value;
            return this;
        }

        /**
         * Sets the most contacts per listing.
         *
         * @param value the count
         * @return this builder
         */
        public Builder maxContacts(int value) {
            this.maxContacts = value;
            return this;
        }

        /**
         * Sets the most conversations per listing.
         *
         * @param value the count
         * @return this builder
         */
        public Builder maxConversations(int value) {
            this.maxConversations = value;
            return this;
        }

        /**
         * Sets the most backlog messages pushed per conversation.
         *
         * @param value the count
         * @return this builder
         */
        public Builder backlogLimit(int value) {
            this.backlogLimit = value;
            return this;
        }

        /**
         * Sets the send rate per user, shared by every transport.
         *
         * @param perSecond sends a second
         * @param burst sends at once
         * @return this builder
         */
        public Builder sendRate(int perSecond, int burst) {
            this.sendRate = new Rate(perSecond, burst);
            return this;
        }

        /**
         * Sets the rate of {@code typing} notices per user.
         *
         * @param perSecond notices a second
         * @param burst notices at once
         * @return this builder
         */
        public Builder typingRate(int perSecond, int burst) {
            this.typingRate = new Rate(perSecond, burst);
            return this;
        }

        /**
         * Sets the rate of presence changes per user.
         *
         * @param perSecond changes a second
         * @param burst changes at once
         * @return this builder
         */
        public Builder presenceRate(int perSecond, int burst) {
            this.presenceRate = new Rate(perSecond, burst);
            return this;
        }

        /**
         * Sets the rate of history pages per user.
         *
         * @param perSecond pages a second
         * @param burst pages at once
         * @return this builder
         */
        public Builder historyRate(int perSecond, int burst) {
            this.historyRate = new Rate(perSecond, burst);
            return this;
        }

        /**
         * Sets the most members of a group besides its creator.
         *
         * @param value the count, at least 2
         * @return this builder
         */
        public Builder maxGroupMembers(int value) {
            this.maxGroupMembers = value;
            return this;
        }

        /**
         * Makes the limits. They are checked by {@link io.carechat.messaging.Messaging.Builder#build()}, with every other
         * setting, so all problems are reported together.
         *
         * @return the limits
         */
        public MessagingLimits build() {
            return new MessagingLimits(maxBodyChars, maxAttachmentsPerMessage, maxClientMsgIdLength,
                    defaultHistoryLimit, maxHistoryLimit, maxContacts, maxConversations, backlogLimit, sendRate, typingRate,
                    presenceRate, historyRate, maxGroupMembers);
        }
    }
}

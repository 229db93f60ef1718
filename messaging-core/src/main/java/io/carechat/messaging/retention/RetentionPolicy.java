package io.carechat.messaging.retention;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.ConversationKind;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * How long message content and attachments are kept, per conversation kind; a kind without a
 * maximum age is kept for ever. Immutable and thread-safe; build one with {@link #builder()}.
 */
public final class RetentionPolicy {
    private final Map<ConversationKind, Duration> maxMessageAge;
    private final Map<ConversationKind, Duration> maxAttachmentAge;

    private RetentionPolicy(Map<ConversationKind, Duration> maxMessageAge, Map<ConversationKind, Duration> maxAttachmentAge) {
        this.maxMessageAge = Map.copyOf(maxMessageAge);
        this.maxAttachmentAge = Map.copyOf(maxAttachmentAge);
    }

    /**
     * Starts a policy that keeps everything.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The longest a message of a kind of conversation is kept.
     *
     * @param kind the conversation kind
     * @return the maximum age, or empty to keep for ever
     */
    public Optional<Duration> maxMessageAge(ConversationKind kind) {
        return Optional.ofNullable(maxMessageAge.get(requireNonNull(kind, "kind")));
    }

    /**
     * The longest an attachment sent in a kind of conversation is kept. An attachment sent in
     * several conversations is kept as long as the longest of them allows; one never sent is kept
     * as long as the shortest configured attachment age.
     *
     * @param kind the conversation kind
     * @return the maximum age, or empty to keep for ever
     */
    public Optional<Duration> maxAttachmentAge(ConversationKind kind) {
        return Optional.ofNullable(maxAttachmentAge.get(requireNonNull(kind, "kind")));
    }

    /**
     * The shortest configured attachment age: nothing younger is ever purged.
     *
     * @return the age, or empty if attachments are kept for ever
     */
    public Optional<Duration> shortestAttachmentAge() {
        return maxAttachmentAge.values().stream().min(Duration::compareTo);
    }

    @Override
    public String toString() {
        return "RetentionPolicy[messages=" + maxMessageAge + ", attachments=" + maxAttachmentAge + "]";
    }

    /** Builds a {@link RetentionPolicy}. Not thread-safe. */
    public static final class Builder {
        private final Map<ConversationKind, Duration> ages = new EnumMap<>(ConversationKind.class);
        private final Map<ConversationKind, Duration> attachmentAges = new EnumMap<>(ConversationKind.class);

        private Builder() {}

        /**
         * Sets the maximum age of messages in a kind of conversation.
         *
         * @param kind the kind
         * @param age positive
         * @return this builder
         */
        public Builder maxMessageAge(ConversationKind kind, Duration age) {
            requireNonNull(kind, "kind");
            requireNonNull(age, "age");
            if (age.isNegative() || age.isZero()) {
                throw new IllegalArgumentException("a maximum age is positive");
            }
            ages.put(kind, age);
            return this;
        }

        /**
         * Sets the same maximum age of messages in every kind of conversation.
         *
         * @param age positive
         * @return this builder
         */
        public Builder maxMessageAge(Duration age) {
            for (ConversationKind kind : ConversationKind.values()) {
                maxMessageAge(kind, age);
            }
            return this;
        }

        /**
         * Sets the maximum age of attachments sent in a kind of conversation.
         *
         * @param kind the kind
         * @param age positive
         * @return this builder
         */
        public Builder maxAttachmentAge(ConversationKind kind, Duration age) {
            requireNonNull(kind, "kind");
            requireNonNull(age, "age");
            if (age.isNegative() || age.isZero()) {
                throw new IllegalArgumentException("a maximum age is positive");
            }
            attachmentAges.put(kind, age);
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return the policy
         */
        public RetentionPolicy build() {
            return new RetentionPolicy(ages, attachmentAges);
        }
    }
}

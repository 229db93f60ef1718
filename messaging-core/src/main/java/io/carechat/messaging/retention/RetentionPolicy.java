package io.carechat.messaging.retention;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.ConversationKind;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * How long message content is kept, per conversation kind; a kind without a maximum age is kept
 * for ever. Immutable and thread-safe; build one with {@link #builder()}.
 */
public final class RetentionPolicy {
    private final Map<ConversationKind, Duration> maxMessageAge;

    private RetentionPolicy(Map<ConversationKind, Duration> maxMessageAge) {
        this.maxMessageAge = Map.copyOf(maxMessageAge);
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

    @Override
    public String toString() {
        return "RetentionPolicy" + maxMessageAge;
    }

    /** Builds a {@link RetentionPolicy}. Not thread-safe. */
    public static final class Builder {
        private final Map<ConversationKind, Duration> ages = new EnumMap<>(ConversationKind.class);

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
         * Builds the policy.
         *
         * @return the policy
         */
        public RetentionPolicy build() {
            return new RetentionPolicy(ages);
        }
    }
}

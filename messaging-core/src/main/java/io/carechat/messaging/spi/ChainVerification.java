package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The result of walking the audit chain: whether every link holds, how many were checked, where
 * and why it first broke, and the segments it is made of, one per key. Immutable and thread-safe.
 *
 * @param valid true when every event is in place and unchanged
 * @param checked how many events were checked before the walk ended
 * @param firstBrokenAt the sequence of the first link that does not hold, or null when valid
 * @param reason a code naming what is wrong there ({@code missing}, {@code out_of_order},
 *     {@code previous_hash_mismatch}, {@code hash_mismatch}, {@code unknown_key},
 *     {@code unkeyed_after_keyed}, {@code unkeyed_head}, {@code beyond_head}, {@code truncated},
 *     {@code head_mismatch}), or null when valid
 * @param segments the runs of events hashed with one key, oldest first, as far as the walk got
 *     (the one holding the first broken link included)
 */
public record ChainVerification(
        boolean valid, long checked, @Nullable Long firstBrokenAt, @Nullable String reason, List<Segment> segments) {

    /** Checks that a broken chain says where and why, and a valid one does not; copies the list. */
    public ChainVerification {
        if (valid != (firstBrokenAt == null) || valid != (reason == null)) {
            throw new IllegalArgumentException("a broken chain names its first broken link and why; a valid one not");
        }
        segments = List.copyOf(segments);
    }

    /**
     * A run of consecutive events whose hashes were made with one key.
     *
     * @param keyId the id of the MAC key, or null for events written before the chain was keyed
     * @param first the sequence of its first event
     * @param last the sequence of its last event
     */
    public record Segment(@Nullable String keyId, long first, long last) {
        /** The name {@link #label()} gives a segment of unkeyed events. */
        public static final String UNKEYED = "unkeyed";

        /**
         * Tells whether the segment's hashes are keyed.
         *
         * @return false for events written before the chain was keyed
         */
        public boolean keyed() {
            return keyId != null;
        }

        /**
         * The key id, or {@value #UNKEYED}.
         *
         * @return the segment's name
         */
        public String label() {
            return keyId == null ? UNKEYED : keyId;
        }
    }

    /**
     * An intact chain.
     *
     * @param checked how many events were checked
     * @param segments its segments
     * @return the result
     */
    public static ChainVerification intact(long checked, List<Segment> segments) {
        return new ChainVerification(true, checked, null, null, segments);
    }

    /**
     * A broken chain.
     *
     * @param checked how many events were checked
     * @param at the sequence of the first broken link
     * @param reason what is wrong there
     * @param segments the segments walked
     * @return the result
     */
    public static ChainVerification brokenAt(long checked, long at, String reason, List<Segment> segments) {
        return new ChainVerification(false, checked, at, requireNonNull(reason, "reason"), segments);
    }
}

package io.carechat.messaging.spi;

import org.jspecify.annotations.Nullable;

/**
 * The result of walking the audit chain: whether every link holds, how many were checked, and
 * where and why it first broke. Immutable and thread-safe.
 *
 * @param valid true when every event is in place and unchanged
 * @param checked how many events were checked before the walk ended
 * @param firstBrokenAt the sequence of the first link that does not hold, or null when valid
 * @param reason a code naming what is wrong there ({@code missing}, {@code out_of_order},
 *     {@code previous_hash_mismatch}, {@code hash_mismatch}, {@code beyond_head},
 *     {@code truncated}, {@code head_mismatch}), or null when valid
 */
public record ChainVerification(
        boolean valid, long checked, @Nullable Long firstBrokenAt, @Nullable String reason) {

    /** Checks that a broken chain says where and why, and a valid one does not. */
    public ChainVerification {
        if (valid != (firstBrokenAt == null) || valid != (reason == null)) {
            throw new IllegalArgumentException("a broken chain names its first broken link and why; a valid one not");
        }
    }

    /**
     * An intact chain.
     *
     * @param checked how many events were checked
     * @return the result
     */
    public static ChainVerification intact(long checked) {
        return new ChainVerification(true, checked, null, null);
    }

    /**
     * A broken chain.
     *
     * @param checked how many events were checked
     * @param at the sequence of the first broken link
     * @param reason what is wrong there
     * @return the result
     */
    public static ChainVerification brokenAt(long checked, long at, String reason) {
        return new ChainVerification(false, checked, at, reason);
    }
}

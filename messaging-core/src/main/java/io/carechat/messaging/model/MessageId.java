package io.carechat.messaging.model;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * The id of a stored message.
 *
 * <p>Ids are opaque strings of 1 to 64 characters from {@code [A-Za-z0-9_-]}, so they are safe in
 * paths, SQL parameters and log lines. CareChat gives new messages {@linkplain #timeOrdered()
 * time-ordered} ids, so that an index on them grows at its end. Immutable and thread-safe.
 *
 * @param value the id's text
 */
public record MessageId(String value) {

    /** Checks the id's form. */
    public MessageId {
        value = Ids.check(value, "MessageId");
    }

    /**
     * Wraps an existing id.
     *
     * @param value the id's text
     * @return the id
     * @throws IllegalArgumentException if {@code value} is not a well-formed id
     */
    public static MessageId of(String value) {
        return new MessageId(value);
    }

    /**
     * Makes a new random id.
     *
     * @return a new id, unique with overwhelming probability
     */
    public static MessageId random() {
        return new MessageId(UUID.randomUUID().toString());
    }

    /**
     * Makes a new id that sorts after the ids made in earlier milliseconds: a version 7 UUID (RFC
     * 9562) of the current Unix time in milliseconds and 74 random bits from a
     * {@link SecureRandom}, in its usual lower-case text form. Ids made within one millisecond
     * sort among themselves at random. An index on such ids takes new rows at its end instead of
     * in a random page each.
     *
     * @return a new id, unique with overwhelming probability
     */
    public static MessageId timeOrdered() {
        byte[] random = new byte[10];
        TimeOrdered.RANDOM.nextBytes(random);
        long randA = ((random[0] & 0xFFL) << 8 | (random[1] & 0xFFL)) & 0x0FFFL;
        long randB = 0;
        for (int i = 2; i < 10; i++) {
            randB = randB << 8 | (random[i] & 0xFFL);
        }
        long mostSignificant = System.currentTimeMillis() << 16 | 0x7000L | randA;
        long leastSignificant = randB & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new MessageId(new UUID(mostSignificant, leastSignificant).toString());
    }

    /** The source of the random bits of {@link #timeOrdered()}, made on first use. */
    private static final class TimeOrdered {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    @Override
    public String toString() {
        return value;
    }
}

package io.carechat.messaging.model;

import io.carechat.messaging.error.BadRequestException;
import java.util.Locale;

/** How urgent a message is. On the wire: {@code normal} or {@code urgent}. */
public enum Priority {
    /** An ordinary message. */
    NORMAL,
    /** A message the recipient should see at once; clients highlight it. */
    URGENT;

    /**
     * The name used on the wire.
     *
     * @return {@code normal} or {@code urgent}
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the wire name.
     *
     * @param wireName {@code normal} or {@code urgent}
     * @return the priority
     * @throws BadRequestException for any other text
     */
    public static Priority fromWire(String wireName) {
        for (Priority p : values()) {
            if (p.wireName().equals(wireName)) {
                return p;
            }
        }
        throw new BadRequestException("priority must be 'normal' or 'urgent'");
    }
}

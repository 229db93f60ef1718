package io.carechat.messaging.model;

import io.carechat.messaging.error.BadRequestException;
import java.util.Locale;

/**
 * A user's availability. Users set {@link #AVAILABLE}, {@link #BUSY} or {@link #AWAY}; CareChat sets
 * {@link #OFFLINE} when the user's last live session closes.
 */
public enum Presence {
    /** Online and willing to answer. */
    AVAILABLE,
    /** Online, but answers may wait. */
    BUSY,
    /** Online, away from the screen. */
    AWAY,
    /** No live session. */
    OFFLINE;

    /**
     * The name used on the wire.
     *
     * @return the lower-case name
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a status a user may set: {@code available}, {@code busy} or {@code away}.
     *
     * @param wireName the status text
     * @return the presence
     * @throws BadRequestException for {@code offline} or any other text
     */
    public static Presence settable(String wireName) {
        for (Presence p : values()) {
            if (p != OFFLINE && p.wireName().equals(wireName)) {
                return p;
            }
        }
        throw new BadRequestException("status must be 'available', 'busy' or 'away'");
    }
}

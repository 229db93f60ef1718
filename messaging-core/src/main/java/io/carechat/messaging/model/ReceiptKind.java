package io.carechat.messaging.model;

import java.util.Locale;

/** Which kind of receipt a member sent. */
public enum ReceiptKind {
    /** The member's device received messages up to a {@code seq}. */
    DELIVERED,
    /** The member read messages up to a {@code seq}. */
    READ;

    /**
     * The name used on the wire.
     *
     * @return {@code delivered} or {@code read}
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package io.carechat.messaging.model;

/**
 * On what ground someone read or joined a patient's conversation, as the patient's access log
 * shows it.
 */
public enum AccessGround {
    /** As a member of the conversation. */
    MEMBER("member"),
    /** Added by an urgent escalation to the on-call doctors. */
    ESCALATION("escalation"),
    /** Through a doctor's break-glass grant. */
    BREAK_GLASS("break_glass");

    private final String wireName;

    AccessGround(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The name on the wire.
     *
     * @return such as {@code break_glass}
     */
    public String wireName() {
        return wireName;
    }
}

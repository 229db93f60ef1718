package io.carechat.benchmarks.history;

/** The product calls the history-size benchmark measures, in report order. */
enum HistoryQuery {
    /** {@code Messaging.unread}: a doctor's unread total over their conversations. */
    UNREAD_TOTAL("unread total", "Messaging.unread(doctor)"),
    /** {@code Messaging.conversations}: a doctor's conversation list, newest activity first. */
    CONVERSATION_LIST("conversation list", "Messaging.conversations(doctor)"),
    /** {@code Messaging.history}: a patient's newest page of their conversation, 10 messages. */
    HISTORY_PAGE("history page", "Messaging.history(patient, conversation, null, 10)"),
    /** {@code Messaging.send}: a patient sends a text to their doctor, acknowledged after commit. */
    SEND("a send", "Messaging.send(patient, text)");

    private final String label;
    private final String call;

    HistoryQuery(String label, String call) {
        this.label = label;
        this.call = call;
    }

    /** @return the name in the report */
    String label() {
        return label;
    }

    /** @return the facade call measured */
    String call() {
        return call;
    }
}

package io.carechat.messaging.hub;

/**
 * The hub's side of one socket: what the transport calls when the client sends a frame or the
 * socket goes away. Returned by {@link Hub#open(Connection, String)}.
 *
 * <p>Thread-safe. Both methods return at once: frames are decoded and served on the hub's workers,
 * one at a time and in arrival order per session. Lifecycle: live from {@code open} until the hub
 * closes it through {@link Connection#close(int, String)} or the transport calls
 * {@link #onClose()}; frames after that are ignored.
 */
public interface HubSession {

    /**
     * Hands the hub one text frame from the client. Never blocks and never throws for any text.
     *
     * @param text the frame's text
     */
    void onText(String text);

    /** Tells the hub the socket is closed, by either side. Idempotent. */
    void onClose();
}

package io.carechat.messaging.hub;

import java.util.concurrent.CompletionStage;

/**
 * The hub's side of one socket: what the transport calls when the client sends a frame, when the
 * server shuts down gracefully, and when the socket goes away. Returned by
 * {@link Hub#open(Connection, String)}.
 *
 * <p>Thread-safe. Every method returns at once: frames are decoded and served on the hub's workers,
 * one at a time and in arrival order per session. Lifecycle: live from {@code open} until the hub
 * closes it through {@link Connection#close(int, String)} or the transport calls
 * {@link #onClose()}; frames after that are ignored. After {@link #drain()} the session takes no
 * more frames but still pushes until it is closed.
 */
public interface HubSession {

    /**
     * Hands the hub one text frame from the client. Never blocks and never throws for any text.
     *
     * @param text the frame's text
     */
    void onText(String text);

    /**
     * Stops taking frames from the client and tells when every frame taken before has been
     * answered, for a graceful shutdown: the transport drains each session, then closes its socket
     * with {@link CloseCodes#GOING_AWAY}. Answers leave in request order, so completion means every
     * answer due was handed to {@link Connection#send(String)}, a {@code send} that waited for its
     * commit included. Frames handed over after this call are ignored, unanswered; pushes go on
     * until the session closes. Idempotent.
     *
     * @return completes once every frame taken before this call was answered, or once the session
     *     is closed; never completes exceptionally
     */
    CompletionStage<Void> drain();

    /** Tells the hub the socket is closed, by either side. Idempotent. */
    void onClose();
}

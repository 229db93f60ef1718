package io.carechat.messaging.websocket.client;

import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.error.MessagingException;

/**
 * The server answered a {@link CareChatClient} request with {@code error}; {@link #code()} is its
 * wire code. Immutable.
 */
public final class ServerErrorException extends MessagingException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param code the code the server sent
     * @param message the server's message
     */
    public ServerErrorException(ErrorCode code, String message) {
        super(code, message, null);
    }
}

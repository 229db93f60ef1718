package io.carechat.messaging.websocket.client;

import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.error.MessagingException;

/**
 * A {@link CareChatClient} request could not be answered: the client was not connected, the
 * connection was lost before the reply, or the client was closed. Its code is
 * {@link ErrorCode#UNAVAILABLE}: asking again after reconnecting is safe. Immutable.
 */
public final class NotConnectedException extends MessagingException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public NotConnectedException(String message) {
        super(ErrorCode.UNAVAILABLE, message, null);
    }
}

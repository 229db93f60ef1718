package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.Message;

/**
 * What {@link MessageStore#append(NewMessage)} did.
 *
 * @param message the stored message: the new one, or the original when the key was used before
 * @param created true when this call stored it, false when the sender's {@code clientMsgId} was
 *     already stored (the original is returned unchanged)
 */
public record AppendResult(Message message, boolean created) {

    /** Checks the fields. */
    public AppendResult {
        requireNonNull(message, "message");
    }
}

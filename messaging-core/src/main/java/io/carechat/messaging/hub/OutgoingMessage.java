package io.carechat.messaging.hub;

import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.protocol.ProtocolCodec;
import io.carechat.messaging.protocol.ServerFrame;
import org.jspecify.annotations.Nullable;

/**
 * A committed message on its way to every live socket of its members, encoded at most twice
 * whatever the number of sockets: once as the sender's copy (with its {@code clientMsgId}) and
 * once as everyone else's. Thread-safe: each text is encoded on first use by whichever thread
 * needs it; a race encodes it twice, to the same text. Lives for one fan-out.
 */
final class OutgoingMessage {
    private final Message message;
    private final ProtocolCodec codec;
    private volatile @Nullable String senderCopy;
    private volatile @Nullable String othersCopy;

    OutgoingMessage(Message message, ProtocolCodec codec) {
        this.message = message;
        this.codec = codec;
    }

    Message message() {
        return message;
    }

    /**
     * The frame's text for one recipient.
     *
     * @param recipient who will receive it
     * @return the encoded {@code message} frame
     */
    String textFor(UserId recipient) {
        boolean sender = message.senderId().equals(recipient);
        String text = sender ? senderCopy : othersCopy;
        if (text == null) {
            text = codec.encode(new ServerFrame.Message(MessageView.of(message, recipient)));
            if (sender) {
                senderCopy = text;
            } else {
                othersCopy = text;
            }
        }
        return text;
    }
}

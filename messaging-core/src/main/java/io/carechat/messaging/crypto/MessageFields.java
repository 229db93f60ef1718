package io.carechat.messaging.crypto;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.crypto.FieldCipher.FieldContext;
import io.carechat.messaging.error.IntegrityException;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.spi.StoredBody;
import java.util.List;

/**
 * Seals and opens the protected fields of a stored message: the body, bound to the message's
 * conversation, id, {@code seq}, sender, priority and sent time, and the file name of each
 * attachment it carries, bound to the conversation, the message and the attachment. A body
 * purged by retention stays empty; its attachment names are still opened.
 *
 * <p>Thread-safe; holds no state but the cipher.
 */
public final class MessageFields {
    private final FieldCipher cipher;
    private final SealedText text;

    /**
     * Creates the sealer on a cipher.
     *
     * @param cipher the field cipher
     */
    public MessageFields(FieldCipher cipher) {
        this.cipher = requireNonNull(cipher, "cipher");
        this.text = new SealedText(cipher);
    }

    /**
     * A copy of a message placed in its conversation (its {@code seq} and sent time final), with
     * body and attachment names sealed under the current key.
     *
     * @param plain the message in plain text
     * @return the message to store
     */
    public Message seal(Message plain) {
        return with(plain, cipher.sealText(plain.body(), FieldContext.messageBody(plain)), sealNames(plain));
    }

    /**
     * A stored message sealed again under the current key, for key rotation: opened, then sealed;
     * a body purged by retention stays purged.
     *
     * @param stored the message as stored
     * @return the message to store instead
     * @throws IntegrityException if it does not open
     */
    public Message reseal(Message stored) {
        Message plain = open(stored);
        return stored.body().equals(StoredBody.PURGED) ? with(plain, StoredBody.PURGED, sealNames(plain)) : seal(plain);
    }

    /**
     * A copy of a stored message with body and attachment names opened.
     *
     * @param stored the message as stored
     * @return the plain message
     * @throws IntegrityException if the body or a name does not open: changed, moved, a bound
     *     column changed, or under an unknown key
     */
    public Message open(Message stored) {
        String body = stored.body().equals(StoredBody.PURGED) ? StoredBody.PURGED
                : cipher.openText(stored.body(), FieldContext.messageBody(stored));
        List<AttachmentRef> names = stored.attachments().stream()
                .map(a -> new AttachmentRef(a.id(), text.open(a.name(), nameContext(stored, a)), a.contentType(), a.size()))
                .toList();
        return with(stored, body, names);
    }

    /**
     * Tells whether a stored message's body and names are sealed in the current format under the
     * current key (a purged body counts as done).
     *
     * @param stored the stored body and names
     * @param currentKeyId the key provider's current key id
     * @return true if key rotation has nothing to do for it
     * @throws IntegrityException if a header is not well-formed
     */
    public static boolean isCurrent(StoredBody stored, String currentKeyId) {
        return (stored.purged() || FieldCipher.isCurrent(stored.body(), currentKeyId))
                && stored.attachments().stream().allMatch(a -> SealedText.isCurrent(a.name(), currentKeyId));
    }

    private List<AttachmentRef> sealNames(Message plain) {
        return plain.attachments().stream()
                .map(a -> new AttachmentRef(a.id(), text.seal(a.name(), nameContext(plain, a)), a.contentType(), a.size()))
                .toList();
    }

    private static FieldContext nameContext(Message message, AttachmentRef ref) {
        return FieldContext.messageAttachmentName(message.conversationId(), message.id(), ref.id());
    }

    private static Message with(Message m, String body, List<AttachmentRef> attachments) {
        return new Message(m.id(), m.conversationId(), m.seq(), m.senderId(), body, m.priority(), m.sentAt(),
                m.clientMsgId(), attachments, m.recalledAt());
    }
}

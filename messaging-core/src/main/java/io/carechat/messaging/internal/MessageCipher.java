package io.carechat.messaging.internal;

import io.carechat.messaging.crypto.FieldCipher;
import io.carechat.messaging.crypto.MessageFields;
import io.carechat.messaging.error.IntegrityException;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.HistoryPage;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.spi.NewMessage;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Seals message bodies and attachment names on their way to the store and opens them after reads,
 * so every store holds only ciphertext. The store seals each new message once it has placed it
 * ({@link NewMessage#place}), so the seal binds the {@code seq}, sender, priority and sent time
 * along with the ids ({@link MessageFields}). A message that does not open (changed, moved, a
 * bound column changed) is an {@link IntegrityException}, recorded as {@code integrity.failure}
 * on the message, whoever reads it: a member's history or backlog, or the facade delivering
 * another node's message live. Not API. Thread-safe.
 */
public final class MessageCipher {
    private final MessageFields fields;
    private final Auditor auditor;

    /**
     * Creates the cipher.
     *
     * @param cipher the field cipher
     * @param auditor records integrity failures
     */
    public MessageCipher(FieldCipher cipher, Auditor auditor) {
        this.fields = new MessageFields(cipher);
        this.auditor = auditor;
    }

    /**
     * A copy that the store seals once it has placed it.
     *
     * @param message the plaintext message
     * @return the message to hand to the store
     */
    public NewMessage seal(NewMessage message) {
        return new NewMessage(message.id(), message.conversationId(), message.senderId(), message.clientMsgId(),
                message.body(), message.priority(), message.attachments(), message.sentAt(), fields::seal,
                message.escalateAt());
    }

    /**
     * A copy with body and attachment names opened; a body purged by retention stays empty.
     *
     * @param caller who reads, for the audit event of a failure
     * @param stored the message as stored
     * @return the plaintext message
     * @throws IntegrityException if the body or a name does not open
     */
    public Message open(Caller caller, Message stored) {
        return open(stored, caller);
    }

    /**
     * A copy with body and names opened for live delivery to the facade's subscribers, where no
     * caller asks: a message another node committed. A body purged by retention stays empty.
     *
     * @param stored the message as stored
     * @return the plaintext message
     * @throws IntegrityException if it does not open; recorded like any reader's failure
     */
    public Message openForDelivery(Message stored) {
        return open(stored, null);
    }

    private Message open(Message stored, @Nullable Caller caller) {
        try {
            return fields.open(stored);
        } catch (IntegrityException e) {
            auditor.refused(caller, "integrity.failure", "message", stored.id().value(), "decrypt_failed");
            throw e;
        }
    }

    /**
     * Opens every message of a list.
     *
     * @param caller who reads
     * @param stored the messages as stored
     * @return the plaintext messages
     */
    public List<Message> open(Caller caller, List<Message> stored) {
        return stored.stream().map(m -> open(caller, m)).toList();
    }

    /**
     * Opens every message of a page.
     *
     * @param caller who reads
     * @param page the page as stored
     * @return the plaintext page
     */
    public HistoryPage open(Caller caller, HistoryPage page) {
        return new HistoryPage(open(caller, page.messages()), page.hasMore());
    }
}

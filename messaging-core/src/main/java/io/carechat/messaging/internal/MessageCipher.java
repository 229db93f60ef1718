package io.carechat.messaging.internal;

import io.carechat.messaging.crypto.FieldCipher;
import io.carechat.messaging.crypto.FieldCipher.FieldContext;
import io.carechat.messaging.error.IntegrityException;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.HistoryPage;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.spi.NewMessage;
import io.carechat.messaging.spi.StoredBody;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Seals message bodies before they reach the store and opens them after reads, so every store
 * holds only ciphertext. A body that does not open is an {@link IntegrityException}, recorded as
 * {@code integrity.failure} on the message, whoever reads it: a member's history or backlog, or
 * the facade delivering another node's message live. Not API. Thread-safe.
 */
public final class MessageCipher {
    private final FieldCipher cipher;
    private final Auditor auditor;

    /**
     * Creates the cipher.
     *
     * @param cipher the field cipher
     * @param auditor records integrity failures
     */
    public MessageCipher(FieldCipher cipher, Auditor auditor) {
        this.cipher = cipher;
        this.auditor = auditor;
    }

    /**
     * The associated-data context of a message body.
     *
     * @param conversationId the conversation
     * @param messageId the message
     * @return the context
     */
    public static FieldContext bodyContext(ConversationId conversationId, MessageId messageId) {
        return FieldContext.messageBody(conversationId, messageId);
    }

    /**
     * A copy with the body sealed.
     *
     * @param message the plaintext message
     * @return the message to store
     */
    public NewMessage seal(NewMessage message) {
        return new NewMessage(message.id(), message.conversationId(), message.senderId(), message.clientMsgId(),
                cipher.sealText(message.body(), bodyContext(message.conversationId(), message.id())),
                message.priority(), message.attachments(), message.sentAt());
    }

    /**
     * A copy with the body opened; a body purged by retention stays empty.
     *
     * @param caller who reads, for the audit event of a failure
     * @param stored the message as stored
     * @return the plaintext message
     * @throws IntegrityException if the body does not open
     */
    public Message open(Caller caller, Message stored) {
        return open(stored, caller);
    }

    /**
     * A copy with the body opened for live delivery to the facade's subscribers, where no caller
     * asks: a message another node committed. A body purged by retention stays empty.
     *
     * @param stored the message as stored
     * @return the plaintext message
     * @throws IntegrityException if the body does not open; recorded like any reader's failure
     */
    public Message openForDelivery(Message stored) {
        return open(stored, null);
    }

    private Message open(Message stored, @Nullable Caller caller) {
        if (stored.body().equals(StoredBody.PURGED)) {
            return stored;
        }
        String body;
        try {
            body = cipher.openText(stored.body(), bodyContext(stored.conversationId(), stored.id()));
        } catch (IntegrityException e) {
            auditor.refused(caller, "integrity.failure", "message", stored.id().value(), "decrypt_failed");
            throw e;
        }
        return new Message(stored.id(), stored.conversationId(), stored.seq(), stored.senderId(), body,
                stored.priority(), stored.sentAt(), stored.clientMsgId(), stored.attachments());
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

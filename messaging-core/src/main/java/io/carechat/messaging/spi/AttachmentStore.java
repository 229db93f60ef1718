package io.carechat.messaging.spi;

import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Stores uploaded attachments: metadata with the file name sealed, sealed content (CareChat
 * encrypts both before calling {@link #put}), and the conversations whose messages refer to each one, which decide who may
 * download it. Implementations are thread-safe; the kit's {@code AttachmentStoreContract} checks
 * them. Reference implementations: {@code InMemoryAttachmentStore} and the JDBC adapter's
 * {@code JdbcStorage.attachments()}.
 */
public interface AttachmentStore {

    /**
     * Stores a new attachment.
     *
     * @param attachment its metadata; its id is new
     * @param sealedContent the encrypted content
     */
    void put(StoredAttachment attachment, byte[] sealedContent);

    /** What {@link #putWithinQuota} did. */
    enum Admission {
        /** The attachment is stored. */
        STORED,
        /** Nothing is stored: the owner's stored uploads and this one would exceed the owner's quota. */
        OWNER_QUOTA_EXCEEDED,
        /** Nothing is stored: all stored uploads and this one would exceed the total quota. */
        TOTAL_QUOTA_EXCEEDED
    }

    /**
     * Stores a new attachment only if both quotas still hold with it, as one atomic step: the
     * sizes of the uploads whose content is still stored (purged ones no longer count), the
     * owner's and everyone's, plus this one's, are compared with the quotas, and concurrent calls
     * (on any node sharing the store) cannot together exceed them.
     *
     * @param attachment its metadata; its id is new
     * @param sealedContent the encrypted content
     * @param ownerQuota the most bytes the owner's stored uploads may take
     * @param totalQuota the most bytes all stored uploads may take
     * @return whether it was stored, or which quota refused it
     */
    Admission putWithinQuota(StoredAttachment attachment, byte[] sealedContent, long ownerQuota, long totalQuota);

    /**
     * Finds an attachment's metadata.
     *
     * @param id the attachment
     * @return the metadata, or empty
     */
    Optional<StoredAttachment> find(AttachmentId id);

    /**
     * Reads an attachment's sealed content.
     *
     * @param id the attachment
     * @return the content as stored, or empty if there is no such attachment or its content was purged
     */
    Optional<byte[]> content(AttachmentId id);

    /**
     * The sum of the sizes of a user's uploads, for the quota.
     *
     * @param ownerId the uploader
     * @return bytes
     */
    long totalSize(UserId ownerId);

    /**
     * Records that a message in a conversation refers to an attachment. Linking twice changes
     * nothing.
     *
     * @param id the attachment
     * @param conversationId the conversation
     */
    void link(AttachmentId id, ConversationId conversationId);

    /**
     * The conversations whose messages refer to an attachment.
     *
     * @param id the attachment
     * @return the conversations, empty if none or no such attachment
     */
    List<ConversationId> conversationsOf(AttachmentId id);

    /**
     * Attachments uploaded before a time whose content is still there, ordered by id, for
     * retention.
     *
     * @param cutoff only uploads before this time
     * @param after only ids after this one (as text), or null to start at the beginning
     * @param limit the most to return, at least 1
     * @return the page
     */
    List<StoredAttachment> uploadedBefore(Instant cutoff, @Nullable AttachmentId after, int limit);

    /**
     * Uploads before a time whose content is still there and that no message refers to (never
     * {@link #link linked}), ordered by id, for purging abandoned uploads.
     *
     * @param cutoff only uploads before this time
     * @param after only ids after this one (as text), or null to start at the beginning
     * @param limit the most to return, at least 1
     * @return the page, shorter than {@code limit} only at the end
     */
    List<StoredAttachment> unlinkedBefore(Instant cutoff, @Nullable AttachmentId after, int limit);

    /**
     * Deletes an attachment's content, keeping its metadata, only if no message refers to it
     * (checked in the same statement), so an upload linked since it was found is kept; the
     * content then no longer counts against the quotas.
     *
     * @param id the attachment
     * @return true if content was deleted now
     */
    boolean purgeIfUnlinked(AttachmentId id);

    /**
     * Deletes an attachment's content, keeping its metadata (so messages still name it); its
     * {@link #content} is then empty. Purging twice changes nothing.
     *
     * @param id the attachment
     * @return true if content was deleted now
     */
    boolean purgeContent(AttachmentId id);

    /**
     * Replaces an attachment's sealed content if it is still what the caller read (compare and
     * set), for key rotation.
     *
     * @param id the attachment
     * @param expected the content as read
     * @param replacement the content sealed again
     * @return true if replaced; false if it is gone, purged or changed meanwhile
     */
    boolean replaceContent(AttachmentId id, byte[] expected, byte[] replacement);

    /**
     * Every attachment, purged or not, ordered by id, for key rotation.
     *
     * @param after only ids after this one (as text), or null to start at the beginning
     * @param limit the most to return, at least 1
     * @return the page, shorter than {@code limit} only at the end
     */
    List<StoredAttachment> scan(@Nullable AttachmentId after, int limit);

    /**
     * Replaces an attachment's stored (sealed) name if it is still what the caller read (compare
     * and set), for key rotation.
     *
     * @param id the attachment
     * @param expected the name as read
     * @param replacement the name sealed again
     * @return true if replaced; false if it is gone or changed meanwhile
     */
    boolean replaceName(AttachmentId id, String expected, String replacement);
}

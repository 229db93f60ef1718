package io.carechat.messaging.internal;

import io.carechat.messaging.model.AttachmentDownload;
import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.error.IntegrityException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.error.TooLargeException;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.crypto.FieldCipher.FieldContext;
import io.carechat.messaging.crypto.FieldCipher;
import io.carechat.messaging.crypto.SealedText;
import io.carechat.messaging.spi.AttachmentStore;
import io.carechat.messaging.spi.MessageStore;
import io.carechat.messaging.spi.StoredAttachment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Uploads, resolves and downloads attachments. The type is recognised from the content; the size
 * limit is enforced while reading, so an oversized stream is never held whole; the name is
 * sanitised display text; name and content are sealed with AES-256-GCM bound to the attachment and
 * its owner. A download is allowed to the uploader and to members of a conversation a message of which
 * refers to the attachment; anyone else gets "not found". Once a message carrying it is recalled,
 * nobody downloads it through that message's conversation, its uploader included. Not API.
 * Thread-safe.
 */
public final class AttachmentService {
    private static final String NOT_FOUND = "attachment not found";

    private final @Nullable AttachmentStore store;
    private final FieldCipher cipher;
    private final SealedText names;
    private final Membership membership;
    private final Auditor auditor;
    private final Clock clock;
    private final MessageStore messages;
    private final long maxBytes;
    private final long quotaBytes;
    private final long totalQuotaBytes;

    /**
     * Creates the service.
     *
     * @param store where attachments are kept, or null when attachments are turned off
     * @param cipher seals content
     * @param membership checks conversation membership
     * @param auditor records uploads, downloads and refusals
     * @param clock the time source
     * @param messages tells whether a recalled message carried an attachment
     * @param maxBytes the largest upload
     * @param quotaBytes the most one user's stored uploads may take
     * @param totalQuotaBytes the most all stored uploads together may take
     */
    public AttachmentService(@Nullable AttachmentStore store, FieldCipher cipher, Membership membership,
            Auditor auditor, Clock clock, MessageStore messages, long maxBytes, long quotaBytes, long totalQuotaBytes) {
        this.store = store;
        this.cipher = cipher;
        this.names = new SealedText(cipher);
        this.membership = membership;
        this.auditor = auditor;
        this.clock = clock;
        this.messages = messages;
        this.maxBytes = maxBytes;
        this.quotaBytes = quotaBytes;
        this.totalQuotaBytes = totalQuotaBytes;
    }

    private static FieldContext context(AttachmentId id, UserId owner) {
        return FieldContext.attachmentContent(id, owner);
    }

    private AttachmentStore store() {
        if (store == null) {
            throw new IllegalStateException("attachments need Messaging.builder().attachmentStore(...)");
        }
        return store;
    }

    /**
     * Uploads an attachment.
     *
     * @param caller the uploader
     * @param fileName the name the client gave
     * @param content the bytes; read to the end (or one byte past the limit), not closed
     * @return the reference to send in a message
     */
    public AttachmentRef upload(Caller caller, String fileName, InputStream content) {
        AttachmentStore s = store();
        byte[] bytes = readBounded(caller, content);
        String type;
        try {
            type = AttachmentContent.typeOf(bytes);
        } catch (RuntimeException e) {
            auditor.refused(caller, "attachment.upload", "user", caller.userId().value(), "unsupported_type");
            throw e;
        }
        AttachmentRef ref = new AttachmentRef(AttachmentId.random(), FileNames.sanitise(fileName), type, bytes.length);
        StoredAttachment stored = new StoredAttachment(sealName(ref, caller.userId()), caller.userId(), clock.instant());
        AttachmentStore.Admission admission = s.putWithinQuota(stored,
                cipher.seal(bytes, context(ref.id(), caller.userId())), quotaBytes, totalQuotaBytes);
        switch (admission) {
            case OWNER_QUOTA_EXCEEDED -> {
                auditor.refused(caller, "attachment.upload", "user", caller.userId().value(), "quota_exceeded");
                throw new TooLargeException("the attachment quota of " + quotaBytes + " bytes per user would be exceeded");
            }
            case TOTAL_QUOTA_EXCEEDED -> {
                auditor.refused(caller, "attachment.upload", "user", caller.userId().value(), "storage_full");
                throw new TooLargeException("the server's attachment storage of " + totalQuotaBytes
                        + " bytes is full; no upload is taken until space is freed");
            }
            case STORED -> recordUpload(caller, s, ref);
        }
        return ref;
    }

    /** Records a stored upload; if that fails, its content is deleted again, so nothing unaudited stays. */
    private void recordUpload(Caller caller, AttachmentStore s, AttachmentRef ref) {
        try {
            auditor.success(caller, "attachment.upload", "attachment", ref.id().value(), null);
        } catch (RuntimeException e) {
            try {
                s.purgeContent(ref.id());
            } catch (RuntimeException undoFailure) {
                e.addSuppressed(undoFailure);
            }
            throw e;
        }
    }

    private byte[] readBounded(Caller caller, InputStream content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = content.read(buffer)) != -1) {
                out.write(buffer, 0, n);
                if (out.size() > maxBytes) {
                    auditor.refused(caller, "attachment.upload", "user", caller.userId().value(), "too_large");
                    throw new TooLargeException("an attachment may have at most " + maxBytes + " bytes");
                }
            }
        } catch (IOException e) {
            throw new BadRequestException("the upload could not be read", e);
        }
        return out.toByteArray();
    }

    /**
     * Resolves the attachments of a message: each must exist and have been uploaded by the sender.
     *
     * @param senderId the sender
     * @param ids the ids in the request
     * @return their references, in order
     * @throws BadRequestException "unknown attachment" for any other id
     */
    public List<AttachmentRef> resolve(UserId senderId, List<AttachmentId> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        if (store == null) {
            throw new BadRequestException("unknown attachment");
        }
        List<AttachmentRef> refs = new ArrayList<>();
        for (AttachmentId id : ids) {
            StoredAttachment found = store.find(id).filter(a -> a.ownerId().equals(senderId))
                    .orElseThrow(() -> new BadRequestException("unknown attachment"));
            refs.add(openName(null, found));
        }
        return refs;
    }

    /**
     * Records that a conversation's message refers to attachments, so its members may download
     * them. Called only once the message is stored, so a refused or failed send links nothing;
     * linking again (a repeated send) changes nothing.
     *
     * @param conversationId the conversation
     * @param refs the attachments
     */
    public void link(ConversationId conversationId, List<AttachmentRef> refs) {
        for (AttachmentRef ref : refs) {
            store().link(ref.id(), conversationId);
        }
    }

    /**
     * Downloads an attachment.
     *
     * @param caller who asks
     * @param id the attachment
     * @return the reference and content
     * @throws NotFoundException if it does not exist, its content was purged, or the caller may not see it
     *     (neither its uploader, nor a member of a conversation carrying it, nor the holder of an
     *     active break-glass grant on one, whose download is recorded with the reason code
     *     {@code break_glass})
     */
    public AttachmentDownload download(Caller caller, AttachmentId id) {
        AttachmentStore s = store();
        Optional<StoredAttachment> found = s.find(id);
        if (found.isPresent() && carriedByRecalled(s, id)) {
            auditor.refused(caller, "attachment.download", "attachment", id.value(), "recalled");
            throw new NotFoundException(NOT_FOUND);
        }
        ConversationId via = null;
        boolean allowed = found.isPresent() && found.get().ownerId().equals(caller.userId());
        if (found.isPresent() && !allowed) {
            for (ConversationId c : s.conversationsOf(id)) {
                if (membership.isMember(c, caller.userId())) {
                    allowed = true;
                    via = c;
                    break;
                }
            }
        }
        boolean onGrant = false;
        if (found.isPresent() && !allowed) {
            for (ConversationId c : s.conversationsOf(id)) {
                if (auditor.holdsBreakGlass(c, caller.userId())) {
                    allowed = true;
                    onGrant = true;
                    via = c;
                    break;
                }
            }
        }
        if (!allowed) {
            auditor.refused(caller, "authz.denied", "attachment", id.value(), "attachment_download");
            throw new NotFoundException(NOT_FOUND);
        }
        StoredAttachment attachment = found.get();
        Optional<byte[]> content = s.content(id);
        if (content.isEmpty()) {
            auditor.refused(caller, "attachment.download", "attachment", id.value(), "purged");
            throw new NotFoundException(NOT_FOUND);
        }
        auditor.success(caller, "attachment.download", "attachment", id.value(),
                via == null ? null : auditor.patientOf(via), onGrant ? Auditor.BREAK_GLASS : null);
        byte[] sealed = content.get();
        AttachmentRef ref = openName(caller, attachment);
        try {
            return new AttachmentDownload(ref, cipher.open(sealed, context(id, attachment.ownerId())));
        } catch (IntegrityException e) {
            auditor.refused(caller, "integrity.failure", "attachment", id.value(), "decrypt_failed");
            throw e;
        }
    }

    private boolean carriedByRecalled(AttachmentStore s, AttachmentId id) {
        for (ConversationId c : s.conversationsOf(id)) {
            if (messages.carriedByRecalled(c, id)) {
                return true;
            }
        }
        return false;
    }

    /** The reference with its file name sealed, as the store keeps it. */
    private AttachmentRef sealName(AttachmentRef ref, UserId owner) {
        return new AttachmentRef(ref.id(), names.seal(ref.name(), FieldContext.attachmentName(ref.id(), owner)),
                ref.contentType(), ref.size());
    }

    /** The stored reference with its file name opened; a failure is audited as {@code integrity.failure}. */
    private AttachmentRef openName(@Nullable Caller caller, StoredAttachment stored) {
        AttachmentRef ref = stored.ref();
        try {
            return new AttachmentRef(ref.id(),
                    names.open(ref.name(), FieldContext.attachmentName(ref.id(), stored.ownerId())),
                    ref.contentType(), ref.size());
        } catch (IntegrityException e) {
            auditor.refused(caller, "integrity.failure", "attachment", ref.id().value(), "decrypt_failed");
            throw e;
        }
    }
}

package io.carechat.messaging.crypto;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.IntegrityException;
import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.RoleRequestId;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.KeyProvider;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals one stored field with AES-256-GCM. The sealed form is
 * {@code version (1 byte) | key id length (1 byte) | key id (ASCII) | nonce (12 random bytes) |
 * ciphertext and 128-bit tag}; as text it is that in standard Base64.
 *
 * <p>The associated data, authenticated but not stored, is the version, the key id, and a
 * {@link FieldContext} naming the field and the row, so a sealed value copied to another row or
 * field does not open, and a row whose bound columns were changed does not open either. Version
 * {@value #VERSION}, which every seal writes, binds the context's owner ids and its bound values
 * (for a message body: conversation id and message id, then {@code seq}, sender, priority and
 * sent time); version {@value #LEGACY_VERSION}, written before, bound the owner ids only and still
 * opens, with that associated data, until {@link KeyRotationJob} seals it again as version
 * {@value #VERSION}. Anything changed (ciphertext, nonce, tag, key id, version, length) fails with
 * {@link IntegrityException}; a key id the provider does not hold fails with it too, saying so.
 * Neither message carries data or keys.
 *
 * <p>Thread-safe; holds no state but the key provider.
 */
public final class FieldCipher {
    /** The format version every seal writes in the first byte: owner ids and bound values in the associated data. */
    public static final int VERSION = 2;

    /** The format version written before {@link #VERSION}: owner ids only in the associated data. Still opens. */
    public static final int LEGACY_VERSION = 1;

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyProvider keys;

    /**
     * Creates a cipher on a key provider.
     *
     * @param keys where keys come from
     */
    public FieldCipher(KeyProvider keys) {
        this.keys = requireNonNull(keys, "keys");
    }

    /**
     * Which row and field a sealed value belongs to; bound into the associated data.
     *
     * @param field the field, such as {@code message.body}
     * @param owner the ids of the row, outermost first; bound by every version
     * @param bound further columns of the row bound by version {@value FieldCipher#VERSION} (for a message
     *     body: {@code seq}, sender, priority and sent time), so that changing them is detected
     */
    public record FieldContext(String field, List<String> owner, List<String> bound) {
        /** Checks the fields and copies the lists. */
        public FieldContext {
            requireNonNull(field, "field");
            owner = List.copyOf(owner);
            bound = List.copyOf(bound);
        }

        /**
         * A context for a field of a row, with no further bound columns.
         *
         * @param field the field
         * @param owner the ids of the row, outermost first
         * @return the context
         */
        public static FieldContext of(String field, String... owner) {
            return new FieldContext(field, List.of(owner), List.of());
        }

        /**
         * The context of a stored message's body: bound to its conversation and its id, and (from
         * version {@value FieldCipher#VERSION}) to its {@code seq}, sender, priority and sent time (to the
         * microsecond, as databases keep it).
         *
         * @param message the message as stored, body aside
         * @return the context
         */
        public static FieldContext messageBody(Message message) {
            return new FieldContext("message.body",
                    List.of(message.conversationId().value(), message.id().value()),
                    List.of(Long.toString(message.seq()), message.senderId().value(), message.priority().name(),
                            message.sentAt().truncatedTo(ChronoUnit.MICROS).toString()));
        }

        /**
         * The context of an attachment's file name as a message carries it: bound to the
         * conversation, the message and the attachment.
         *
         * @param conversationId the conversation
         * @param messageId the message
         * @param attachmentId the attachment
         * @return the context
         */
        public static FieldContext messageAttachmentName(
                ConversationId conversationId, MessageId messageId, AttachmentId attachmentId) {
            return of("message.attachment.name", conversationId.value(), messageId.value(), attachmentId.value());
        }

        /**
         * The context of an attachment's content: bound to the attachment and its uploader.
         *
         * @param attachmentId the attachment
         * @param ownerId the uploader
         * @return the context
         */
        public static FieldContext attachmentContent(AttachmentId attachmentId, UserId ownerId) {
            return of("attachment.content", attachmentId.value(), ownerId.value());
        }

        /**
         * The context of an attachment's file name as the attachment store keeps it: bound to the
         * attachment and its uploader.
         *
         * @param attachmentId the attachment
         * @param ownerId the uploader
         * @return the context
         */
        public static FieldContext attachmentName(AttachmentId attachmentId, UserId ownerId) {
            return of("attachment.name", attachmentId.value(), ownerId.value());
        }

        /**
         * The context of a role request's note: bound to the request and the user who asked.
         *
         * @param requestId the request
         * @param userId who asked
         * @return the context
         */
        public static FieldContext roleRequestNote(RoleRequestId requestId, UserId userId) {
            return of("role_request.note", requestId.value(), userId.value());
        }

        /**
         * The context of the reason a sender gave for recalling a message: bound to the
         * conversation and the message.
         *
         * @param conversationId the conversation
         * @param messageId the recalled message
         * @return the context
         */
        public static FieldContext recallReason(ConversationId conversationId, MessageId messageId) {
            return of("recall_reason", conversationId.value(), messageId.value());
        }

        byte[] bytes(int version, String keyId) {
            StringBuilder sb = new StringBuilder("carechat|v").append(version).append('|').append(keyId)
                    .append('|').append(field);
            append(sb, owner);
            if (version >= VERSION) {
                sb.append("|#");
                append(sb, bound);
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        private static void append(StringBuilder sb, List<String> values) {
            for (String value : values) {
                sb.append('|').append(value.length()).append(':').append(value);
            }
        }
    }

    /**
     * Seals text under the current key.
     *
     * @param plaintext the text
     * @param context the row and field it belongs to
     * @return the sealed form as Base64 text
     */
    public String sealText(String plaintext, FieldContext context) {
        return Base64.getEncoder().encodeToString(seal(plaintext.getBytes(StandardCharsets.UTF_8), context));
    }

    /**
     * Opens text sealed by {@link #sealText}.
     *
     * @param sealed the Base64 text
     * @param context the row and field it was read from
     * @return the text
     * @throws IntegrityException if it does not open: changed, moved, or under an unknown key
     */
    public String openText(String sealed, FieldContext context) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new IntegrityException("a stored encrypted field is not well-formed", null);
        }
        return new String(open(raw, context), StandardCharsets.UTF_8);
    }

    /**
     * Seals bytes under the current key.
     *
     * @param plaintext the bytes
     * @param context the row and field they belong to
     * @return the sealed form
     */
    public byte[] seal(byte[] plaintext, FieldContext context) {
        requireNonNull(plaintext, "plaintext");
        requireNonNull(context, "context");
        String keyId = KeyIds.check(keys.currentKeyId());
        SecretKey key = keys.key(keyId).orElseThrow(
                () -> new IllegalStateException("the key provider does not hold its own current key"));
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.bytes(VERSION, keyId));
            byte[] sealedBody = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(2 + id.length + NONCE_BYTES + sealedBody.length)
                    .put((byte) VERSION).put((byte) id.length).put(id).put(nonce).put(sealedBody).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable or the key is not a 256-bit AES key", e);
        }
    }

    /**
     * Opens bytes sealed by {@link #seal}.
     *
     * @param sealed the sealed form
     * @param context the row and field they were read from
     * @return the plaintext
     * @throws IntegrityException if they do not open: changed, moved, or under an unknown key
     */
    public byte[] open(byte[] sealed, FieldContext context) {
        requireNonNull(sealed, "sealed");
        requireNonNull(context, "context");
        Header header = header(sealed);
        SecretKey key = keys.key(header.keyId()).orElseThrow(() -> new IntegrityException(
                "a stored encrypted field names a key the key provider does not hold", null));
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, header.nonceAt(), NONCE_BYTES));
            cipher.updateAAD(context.bytes(header.version(), header.keyId()));
            int bodyAt = header.nonceAt() + NONCE_BYTES;
            return cipher.doFinal(sealed, bodyAt, sealed.length - bodyAt);
        } catch (AEADBadTagException e) {
            throw new IntegrityException("a stored encrypted field failed its integrity check", null);
        } catch (GeneralSecurityException e) {
            throw new IntegrityException("a stored encrypted field could not be decrypted", e);
        }
    }

    /**
     * Tells whether sealed bytes are in the current format under the current key, so that key
     * rotation leaves them alone.
     *
     * @param sealed the sealed form
     * @param currentKeyId the key provider's current key id
     * @return true if written as version {@value #VERSION} under that key
     * @throws IntegrityException if the header is not well-formed
     */
    public static boolean isCurrent(byte[] sealed, String currentKeyId) {
        Header header = header(sealed);
        return header.version() == VERSION && header.keyId().equals(currentKeyId);
    }

    /**
     * Tells whether a sealed text is in the current format under the current key.
     *
     * @param sealed the sealed form as Base64 text
     * @param currentKeyId the key provider's current key id
     * @return true if written as version {@value #VERSION} under that key
     * @throws IntegrityException if the header is not well-formed
     */
    public static boolean isCurrent(String sealed, String currentKeyId) {
        try {
            return isCurrent(Base64.getDecoder().decode(sealed), currentKeyId);
        } catch (IllegalArgumentException e) {
            throw new IntegrityException("a stored encrypted field is not well-formed", null);
        }
    }

    /**
     * The id of the key a sealed value was made with, read from its header.
     *
     * @param sealed the sealed form as Base64 text
     * @return the key id
     * @throws IntegrityException if the header is not well-formed
     */
    public static String keyIdOf(String sealed) {
        try {
            return keyIdOf(Base64.getDecoder().decode(sealed));
        } catch (IllegalArgumentException e) {
            throw new IntegrityException("a stored encrypted field is not well-formed", null);
        }
    }

    /**
     * The id of the key sealed bytes were made with, read from their header.
     *
     * @param sealed the sealed form
     * @return the key id
     * @throws IntegrityException if the header is not well-formed
     */
    public static String keyIdOf(byte[] sealed) {
        return header(sealed).keyId();
    }

    private static Header header(byte[] sealed) {
        if (sealed.length < 2 || (sealed[0] != VERSION && sealed[0] != LEGACY_VERSION)) {
            throw new IntegrityException("a stored encrypted field has an unknown format", null);
        }
        int idLength = sealed[1] & 0xff;
        int nonceAt = 2 + idLength;
        if (idLength == 0 || sealed.length < nonceAt + NONCE_BYTES + TAG_BITS / 8) {
            throw new IntegrityException("a stored encrypted field is truncated", null);
        }
        String keyId = new String(sealed, 2, idLength, StandardCharsets.US_ASCII);
        return new Header(sealed[0], keyId, nonceAt);
    }

    private record Header(int version, String keyId, int nonceAt) {}
}

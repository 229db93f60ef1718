package io.carechat.messaging.spi;

import io.carechat.messaging.model.AttachmentRef;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Maintenance access to stored message bodies, for the jobs that rewrite them in place: key
 * rotation (re-encrypting bodies, attachment names and recall reasons under the current key) and
 * retention
 * (replacing a body with an empty one). Never used on the request path. Implementations are thread-safe; reference
 * implementations are the in-memory and JDBC message stores, checked by the kit's
 * {@code MessageBodyStoreContract}.
 */
public interface MessageBodyStore {

    /**
     * A page of bodies, ordered by conversation id (as text) and then {@code seq}: a stable order
     * a job can resume from after being stopped.
     *
     * @param after only bodies after this one in that order, or null to start at the beginning;
     *     only its conversation id and {@code seq} are read (see {@link StoredBody#position})
     * @param limit the most to return, at least 1
     * @return the page, shorter than {@code limit} only at the end
     */
    List<StoredBody> scan(@Nullable StoredBody after, int limit);

    /**
     * Replaces one body if it is still what the caller read (compare and set), so two jobs
     * cannot undo each other's work.
     *
     * @param expected the body as scanned
     * @param replacement the new stored body
     * @return true if replaced; false if the message is gone or its body changed meanwhile
     */
    boolean replaceBody(StoredBody expected, String replacement);

    /**
     * Replaces one message's body and attachment references together if both are still what the
     * caller read (compare and set), for key rotation, which seals both again.
     *
     * @param expected the body and references as scanned
     * @param body the new stored body
     * @param attachments the new stored references, the same attachments in the same order
     * @return true if replaced; false if the message is gone or changed meanwhile
     */
    boolean reseal(StoredBody expected, String body, List<AttachmentRef> attachments);

    /**
     * A page of recalls ({@link MessageStore#recall}), ordered by conversation id (as text) and
     * then {@code seq}, for key rotation, which seals their reasons again. The default, for a store
     * that keeps no recalls, has none.
     *
     * @param after only recalls after this one in that order, or null to start at the beginning
     * @param limit the most to return, at least 1
     * @return the page, shorter than {@code limit} only at the end
     */
    default List<MessageRecall> scanRecalls(@Nullable MessageRecall after, int limit) {
        return List.of();
    }

    /**
     * Replaces a recall's sealed reason if it is still what the caller read (compare and set).
     *
     * @param expected the recall as scanned
     * @param sealedReason the reason sealed again
     * @return true if replaced; false if it changed meanwhile (the default, for a store that keeps
     *     no recalls)
     */
    default boolean replaceRecallReason(MessageRecall expected, String sealedReason) {
        return false;
    }
}

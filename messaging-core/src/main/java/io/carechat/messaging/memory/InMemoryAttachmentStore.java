package io.carechat.messaging.memory;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AttachmentStore;
import io.carechat.messaging.spi.StoredAttachment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AttachmentStore} on the heap, for tests and demos. Thread-safe (one lock). Nothing
 * survives a restart.
 */
public final class InMemoryAttachmentStore implements AttachmentStore {
    private final Map<AttachmentId, StoredAttachment> meta = new HashMap<>();
    private final Map<AttachmentId, byte[]> contents = new HashMap<>();
    private final Map<AttachmentId, Set<ConversationId>> links = new HashMap<>();

    /** Creates an empty store. */
    public InMemoryAttachmentStore() {}

    @Override
    public synchronized void put(StoredAttachment attachment, byte[] sealedContent) {
        requireNonNull(attachment, "attachment");
        requireNonNull(sealedContent, "sealedContent");
        if (meta.putIfAbsent(attachment.ref().id(), attachment) != null) {
            throw new IllegalArgumentException("the attachment id is taken");
        }
        contents.put(attachment.ref().id(), sealedContent.clone());
    }

    @Override
    public synchronized Admission putWithinQuota(StoredAttachment attachment, byte[] sealedContent, long ownerQuota,
            long totalQuota) {
        requireNonNull(attachment, "attachment");
        long size = attachment.ref().size();
        long owner = storedSize(a -> a.ownerId().equals(attachment.ownerId()));
        if (owner + size > ownerQuota) {
            return Admission.OWNER_QUOTA_EXCEEDED;
        }
        if (storedSize(a -> true) + size > totalQuota) {
            return Admission.TOTAL_QUOTA_EXCEEDED;
        }
        put(attachment, sealedContent);
        return Admission.STORED;
    }

    private long storedSize(Predicate<StoredAttachment> which) {
        return meta.values().stream().filter(a -> contents.containsKey(a.ref().id())).filter(which)
                .mapToLong(a -> a.ref().size()).sum();
    }

    @Override
    public synchronized Optional<StoredAttachment> find(AttachmentId id) {
        return Optional.ofNullable(meta.get(requireNonNull(id, "id")));
    }

    @Override
    public synchronized Optional<byte[]> content(AttachmentId id) {
        return Optional.ofNullable(contents.get(requireNonNull(id, "id"))).map(byte[]::clone);
    }

    @Override
    public synchronized long totalSize(UserId ownerId) {
        requireNonNull(ownerId, "ownerId");
        return meta.values().stream().filter(a -> a.ownerId().equals(ownerId)).mapToLong(a -> a.ref().size()).sum();
    }

    @Override
    public synchronized void link(AttachmentId id, ConversationId conversationId) {
        requireNonNull(id, "id");
        requireNonNull(conversationId, "conversationId");
        if (meta.containsKey(id)) {
            links.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(conversationId);
        }
    }

    @Override
    public synchronized List<ConversationId> conversationsOf(AttachmentId id) {
        return new ArrayList<>(links.getOrDefault(requireNonNull(id, "id"), Set.of()));
    }

    @Override
    public synchronized List<StoredAttachment> uploadedBefore(Instant cutoff, @Nullable AttachmentId after, int limit) {
        requireNonNull(cutoff, "cutoff");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return meta.values().stream()
                .filter(a -> a.uploadedAt().isBefore(cutoff) && contents.containsKey(a.ref().id()))
                .filter(a -> after == null || a.ref().id().value().compareTo(after.value()) > 0)
                .sorted(Comparator.comparing(a -> a.ref().id().value()))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized List<StoredAttachment> unlinkedBefore(Instant cutoff, @Nullable AttachmentId after, int limit) {
        return uploadedBefore(cutoff, after, Integer.MAX_VALUE).stream()
                .filter(a -> !links.containsKey(a.ref().id()))
                .limit(checkedLimit(limit))
                .toList();
    }

    @Override
    public synchronized boolean purgeIfUnlinked(AttachmentId id) {
        return !links.containsKey(requireNonNull(id, "id")) && purgeContent(id);
    }

    private static int checkedLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return limit;
    }

    @Override
    public synchronized List<StoredAttachment> scan(@Nullable AttachmentId after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return meta.values().stream()
                .filter(a -> after == null || a.ref().id().value().compareTo(after.value()) > 0)
                .sorted(Comparator.comparing(a -> a.ref().id().value()))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized boolean replaceName(AttachmentId id, String expected, String replacement) {
        requireNonNull(expected, "expected");
        requireNonNull(replacement, "replacement");
        StoredAttachment current = meta.get(requireNonNull(id, "id"));
        if (current == null || !current.ref().name().equals(expected)) {
            return false;
        }
        AttachmentRef ref = current.ref();
        meta.put(id, new StoredAttachment(new AttachmentRef(ref.id(), replacement, ref.contentType(), ref.size()),
                current.ownerId(), current.uploadedAt()));
        return true;
    }

    @Override
    public synchronized boolean purgeContent(AttachmentId id) {
        return contents.remove(requireNonNull(id, "id")) != null;
    }

    @Override
    public synchronized boolean replaceContent(AttachmentId id, byte[] expected, byte[] replacement) {
        requireNonNull(expected, "expected");
        requireNonNull(replacement, "replacement");
        byte[] current = contents.get(requireNonNull(id, "id"));
        if (current == null || !Arrays.equals(current, expected)) {
            return false;
        }
        contents.put(id, replacement.clone());
        return true;
    }
}

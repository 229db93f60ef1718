package io.carechat.messaging.memory;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.HistoryPage;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AppendResult;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditSink;
import io.carechat.messaging.spi.AuditSinks;
import io.carechat.messaging.spi.BreakGlassStore;
import io.carechat.messaging.spi.MessageBodyStore;
import io.carechat.messaging.spi.MessageRecall;
import io.carechat.messaging.spi.MessageStore;
import io.carechat.messaging.spi.NewMessage;
import io.carechat.messaging.spi.StoredBody;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Messages in their conversation's state. An append holds the conversation's lock, so {@code seq}
 * is gapless and in order; the idempotency key is claimed before the message is added, so a key
 * raced into two conversations still stores one message. Recalls are kept beside the messages,
 * whose originals stay as they were: the reads return a recalled message as its tombstone, the
 * maintenance scan the original. A sender who is not a member is accepted while they hold a
 * break-glass grant active at the message's {@code sentAt}.
 */
final class InMemoryMessageStore implements MessageStore, MessageBodyStore {
    private static final Comparator<MessageRecall> RECALL_ORDER = Comparator
            .comparing((MessageRecall r) -> r.conversationId().value()).thenComparingLong(MessageRecall::seq);

    private record SenderKey(UserId senderId, String clientMsgId) {}

    /** Where a key's message is; the message itself is read from its conversation, as rewritten. */
    private record Place(ConversationId conversationId, long seq) {}

    private final ConversationRegistry registry;
    private final BreakGlassStore breakGlass;
    private final InMemoryEscalationStore escalations;
    private final Map<SenderKey, Place> bySenderKey = new ConcurrentHashMap<>();
    private final Map<Place, MessageRecall> recalls = new ConcurrentHashMap<>();
    private final Map<ConversationId, Set<AttachmentId>> recalledAttachments = new ConcurrentHashMap<>();

    InMemoryMessageStore(ConversationRegistry registry, BreakGlassStore breakGlass,
            InMemoryEscalationStore escalations) {
        this.registry = registry;
        this.breakGlass = breakGlass;
        this.escalations = escalations;
    }

    @Override
    public AppendResult append(NewMessage message) {
        return appendUnderLock(message, null, null);
    }

    /**
     * Keeps the send's event under the conversation's lock, after the membership check and before
     * the message becomes visible: the event is kept exactly when the append is accepted.
     */
    @Override
    public AppendResult append(NewMessage message, AuditEvent sendEvent, AuditSink sink) {
        requireNonNull(sendEvent, "sendEvent");
        requireNonNull(sink, "sink");
        return appendUnderLock(message, sendEvent, sink);
    }

    private AppendResult appendUnderLock(NewMessage message, @Nullable AuditEvent sendEvent, @Nullable AuditSink sink) {
        ConversationState state = registry.existing(message.conversationId());
        SenderKey key = new SenderKey(message.senderId(), message.clientMsgId());
        synchronized (state) {
            if (state.member(message.senderId()) == null
                    && breakGlass.active(message.conversationId(), message.senderId(), message.sentAt()).isEmpty()) {
                throw NotFoundException.conversation();
            }
            if (sink != null && sendEvent != null) {
                AuditSinks.recordOrFail(sink, sendEvent);
            }
            Place original = bySenderKey.get(key);
            if (original != null) {
                return new AppendResult(at(original), false);
            }
            Message stored = message.place(state.lastSeq() + 1, message.sentAt());
            original = bySenderKey.putIfAbsent(key, new Place(stored.conversationId(), stored.seq()));
            if (original != null) {
                return new AppendResult(at(original), false);
            }
            state.add(stored);
            Instant escalateAt = message.escalateAt();
            if (escalateAt != null) {
                escalations.schedule(stored, escalateAt);
            }
            return new AppendResult(stored, true);
        }
    }

    @Override
    public HistoryPage history(ConversationId id, @Nullable Long beforeSeq, int limit) {
        checkLimit(limit);
        Optional<ConversationState> found = registry.find(id);
        if (found.isEmpty()) {
            return new HistoryPage(List.of(), false);
        }
        ConversationState state = found.get();
        synchronized (state) {
            long upper = beforeSeq == null ? state.lastSeq() : Math.min(beforeSeq - 1, state.lastSeq());
            long lower = Math.max(0, upper - limit);
            return new HistoryPage(tombstoned(state.range(lower, upper)), lower > 0);
        }
    }

    @Override
    public List<Message> after(ConversationId id, long afterSeq, int limit) {
        checkLimit(limit);
        long from = Math.max(0, afterSeq);
        return registry.find(id).map(state -> tombstoned(state.range(from, from + limit))).orElse(List.of());
    }

    @Override
    public Optional<Message> find(ConversationId id, long seq) {
        return registry.find(id).flatMap(state -> state.range(seq - 1, seq).stream().findFirst())
                .map(this::tombstoned);
    }

    @Override
    public Optional<Message> recall(MessageRecall recall) {
        requireNonNull(recall, "recall");
        Optional<ConversationState> found = registry.find(recall.conversationId());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ConversationState state = found.get();
        synchronized (state) {
            Optional<Message> original = state.range(recall.seq() - 1, recall.seq()).stream().findFirst()
                    .filter(m -> m.id().equals(recall.messageId()));
            if (original.isEmpty()) {
                return Optional.empty();
            }
            recalls.putIfAbsent(new Place(recall.conversationId(), recall.seq()), recall);
            Set<AttachmentId> carried = recalledAttachments.computeIfAbsent(
                    recall.conversationId(), c -> ConcurrentHashMap.newKeySet());
            original.get().attachments().forEach(a -> carried.add(a.id()));
            return Optional.of(tombstoned(original.get()));
        }
    }

    @Override
    public List<MessageRecall> scanRecalls(@Nullable MessageRecall after, int limit) {
        checkLimit(limit);
        return recalls.values().stream()
                .sorted(RECALL_ORDER)
                .filter(r -> after == null || RECALL_ORDER.compare(r, after) > 0)
                .limit(limit)
                .toList();
    }

    @Override
    public boolean replaceRecallReason(MessageRecall expected, String sealedReason) {
        requireNonNull(expected, "expected");
        requireNonNull(sealedReason, "sealedReason");
        return recalls.replace(new Place(expected.conversationId(), expected.seq()), expected,
                new MessageRecall(expected.conversationId(), expected.seq(), expected.messageId(),
                        expected.recalledBy(), expected.recalledAt(), sealedReason));
    }

    @Override
    public boolean carriedByRecalled(ConversationId conversationId, AttachmentId attachmentId) {
        Set<AttachmentId> carried = recalledAttachments.get(requireNonNull(conversationId, "conversationId"));
        return carried != null && carried.contains(requireNonNull(attachmentId, "attachmentId"));
    }

    /** The message as readers get it: its tombstone once recalled. */
    private Message tombstoned(Message stored) {
        MessageRecall recall = recalls.get(new Place(stored.conversationId(), stored.seq()));
        return recall == null ? stored : stored.tombstone(recall.recalledAt());
    }

    private List<Message> tombstoned(List<Message> stored) {
        return recalls.isEmpty() ? stored : stored.stream().map(this::tombstoned).toList();
    }

    private Message at(Place place) {
        return registry.existing(place.conversationId()).range(place.seq() - 1, place.seq()).get(0);
    }

    @Override
    public List<StoredBody> scan(@Nullable StoredBody after, int limit) {
        checkLimit(limit);
        List<StoredBody> page = new ArrayList<>();
        for (ConversationState state : registry.allById()) {
            String id = state.conversation().id().value();
            int order = after == null ? 1 : id.compareTo(after.conversationId().value());
            if (order < 0) {
                continue;
            }
            long fromSeq = order == 0 ? after.seq() : 0;
            for (Message m : state.range(fromSeq, fromSeq + limit - page.size())) {
                page.add(StoredBody.of(m));
            }
            if (page.size() == limit) {
                break;
            }
        }
        return List.copyOf(page);
    }

    @Override
    public boolean replaceBody(StoredBody expected, String replacement) {
        requireNonNull(expected, "expected");
        requireNonNull(replacement, "replacement");
        return registry.find(expected.conversationId())
                .map(state -> state.replaceBody(expected.seq(), expected.body(), replacement))
                .orElse(false);
    }

    @Override
    public boolean reseal(StoredBody expected, String body, List<AttachmentRef> attachments) {
        requireNonNull(expected, "expected");
        requireNonNull(body, "body");
        List<AttachmentRef> replacement = List.copyOf(attachments);
        return registry.find(expected.conversationId())
                .map(state -> state.reseal(expected.seq(), expected.body(), expected.attachments(), body, replacement))
                .orElse(false);
    }

    private static void checkLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }
}

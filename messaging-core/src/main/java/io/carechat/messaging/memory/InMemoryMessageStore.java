package io.carechat.messaging.memory;

import io.carechat.messaging.ConversationId;
import io.carechat.messaging.HistoryPage;
import io.carechat.messaging.Message;
import io.carechat.messaging.NotFoundException;
import io.carechat.messaging.UserId;
import io.carechat.messaging.spi.AppendResult;
import io.carechat.messaging.spi.MessageStore;
import io.carechat.messaging.spi.NewMessage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Messages in their conversation's state. An append holds the conversation's lock, so {@code seq}
 * is gapless and in order; the idempotency key is claimed before the message is added, so a key
 * raced into two conversations still stores one message.
 */
final class InMemoryMessageStore implements MessageStore {
    private record SenderKey(UserId senderId, String clientMsgId) {}

    private final ConversationRegistry registry;
    private final Map<SenderKey, Message> bySenderKey = new ConcurrentHashMap<>();

    InMemoryMessageStore(ConversationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public AppendResult append(NewMessage message) {
        ConversationState state = registry.existing(message.conversationId());
        SenderKey key = new SenderKey(message.senderId(), message.clientMsgId());
        synchronized (state) {
            if (state.member(message.senderId()) == null) {
                throw new NotFoundException("conversation not found");
            }
            Message original = bySenderKey.get(key);
            if (original != null) {
                return new AppendResult(original, false);
            }
            Message stored = new Message(message.id(), message.conversationId(), state.lastSeq() + 1,
                    message.senderId(), message.body(), message.priority(), message.sentAt(),
                    message.clientMsgId(), message.attachments());
            original = bySenderKey.putIfAbsent(key, stored);
            if (original != null) {
                return new AppendResult(original, false);
            }
            state.add(stored);
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
            return new HistoryPage(state.range(lower, upper), lower > 0);
        }
    }

    @Override
    public List<Message> after(ConversationId id, long afterSeq, int limit) {
        checkLimit(limit);
        long from = Math.max(0, afterSeq);
        return registry.find(id).map(state -> state.range(from, from + limit)).orElse(List.of());
    }

    @Override
    public Optional<Message> find(ConversationId id, long seq) {
        return registry.find(id).flatMap(state -> state.range(seq - 1, seq).stream().findFirst());
    }

    private static void checkLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }
}

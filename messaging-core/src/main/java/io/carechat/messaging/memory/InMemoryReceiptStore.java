package io.carechat.messaging.memory;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.UnreadCounts;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.ReceiptStore;
import io.carechat.messaging.spi.ReceiptUpdate;
import java.util.HashMap;
import java.util.Map;

/** Positions in their conversation's state, moved under the conversation's lock. */
final class InMemoryReceiptStore implements ReceiptStore {
    private final ConversationRegistry registry;

    InMemoryReceiptStore(ConversationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public ReceiptUpdate markDelivered(ConversationId id, UserId userId, long seq) {
        ConversationState state = registry.existing(id);
        synchronized (state) {
            MemberState before = memberOf(state, userId);
            long delivered = Math.max(before.deliveredSeq(), Math.min(seq, state.lastSeq()));
            MemberState after = before.at(delivered, before.readSeq(), before.unread());
            state.put(after);
            return new ReceiptUpdate(after, delivered > before.deliveredSeq());
        }
    }

    @Override
    public ReceiptUpdate markRead(ConversationId id, UserId userId, long seq) {
        ConversationState state = registry.existing(id);
        synchronized (state) {
            MemberState before = memberOf(state, userId);
            long read = Math.max(before.readSeq(), Math.min(seq, state.lastSeq()));
            long delivered = Math.max(before.deliveredSeq(), read);
            MemberState after = before.at(delivered, read, state.unreadFor(userId, read));
            state.put(after);
            return new ReceiptUpdate(after, read > before.readSeq());
        }
    }

    @Override
    public UnreadCounts unread(UserId userId) {
        Map<ConversationId, Long> counts = new HashMap<>();
        for (ConversationState state : registry.of(userId)) {
            MemberState member = state.member(userId);
            if (member != null) {
                counts.put(state.conversation().id(), member.unread());
            }
        }
        return UnreadCounts.of(counts);
    }

    private static MemberState memberOf(ConversationState state, UserId userId) {
        MemberState member = state.member(userId);
        if (member == null) {
            throw NotFoundException.conversation();
        }
        return member;
    }
}

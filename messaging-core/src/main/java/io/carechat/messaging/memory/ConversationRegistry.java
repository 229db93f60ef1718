package io.carechat.messaging.memory;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.UserId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The state the conversation, message and receipt stores share. Thread-safe. */
final class ConversationRegistry {
    private final Map<ConversationId, ConversationState> byId = new ConcurrentHashMap<>();
    private final Map<String, ConversationState> directByPair = new ConcurrentHashMap<>();
    private final Map<UserId, Set<ConversationId>> byMember = new ConcurrentHashMap<>();

    Map<String, ConversationState> directByPair() {
        return directByPair;
    }

    /** Registers a new conversation; false when its id is taken. */
    boolean register(ConversationState state) {
        if (byId.putIfAbsent(state.conversation().id(), state) != null) {
            return false;
        }
        for (UserId member : state.conversation().memberIds()) {
            byMember.computeIfAbsent(member, m -> ConcurrentHashMap.newKeySet())
                    .add(state.conversation().id());
        }
        return true;
    }

    /** Records that a user became a member of a conversation. */
    void joined(UserId member, ConversationId id) {
        byMember.computeIfAbsent(member, m -> ConcurrentHashMap.newKeySet()).add(id);
    }

    /** Records that a user is no longer a member of a conversation. */
    void left(UserId member, ConversationId id) {
        Set<ConversationId> ids = byMember.get(member);
        if (ids != null) {
            ids.remove(id);
        }
    }

    Optional<ConversationState> find(ConversationId id) {
        return Optional.ofNullable(byId.get(id));
    }

    ConversationState existing(ConversationId id) {
        return find(id).orElseThrow(() -> NotFoundException.conversation());
    }

    /** Every conversation, ordered by id as text. */
    List<ConversationState> allById() {
        return byId.values().stream()
                .sorted((a, b) -> a.conversation().id().value().compareTo(b.conversation().id().value()))
                .toList();
    }

    List<ConversationState> of(UserId member) {
        return byMember.getOrDefault(member, Set.of()).stream().map(byId::get).toList();
    }
}

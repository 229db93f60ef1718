package io.carechat.messaging.memory;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationKind;
import io.carechat.messaging.model.ConversationSummary;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.ConversationStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Conversations in the shared registry; a pair's direct conversation is created atomically. */
final class InMemoryConversationStore implements ConversationStore {
    private static final Comparator<ConversationSummary> NEWEST_FIRST =
            Comparator.comparing(ConversationSummary::lastActivityAt).reversed()
                    .thenComparing(s -> s.conversation().id().value());

    private final ConversationRegistry registry;

    InMemoryConversationStore(ConversationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Conversation openDirect(ConversationId proposedId, UserId first, UserId second, Instant now) {
        requireNonNull(proposedId, "proposedId");
        requireNonNull(now, "now");
        if (first.equals(second)) {
            throw new IllegalArgumentException("a direct conversation needs two different users");
        }
        String pair = first.value().compareTo(second.value()) < 0
                ? first.value() + "|" + second.value()
                : second.value() + "|" + first.value();
        return registry.directByPair().computeIfAbsent(pair, p -> {
            ConversationState state = new ConversationState(
                    new Conversation(proposedId, ConversationKind.DIRECT, List.of(first, second), now));
            if (!registry.register(state)) {
                throw new ConflictException("conversation id is taken");
            }
            return state;
        }).conversation();
    }

    @Override
    public Conversation createGroup(ConversationId id, List<UserId> members, Instant now) {
        if (members.size() < 2) {
            throw new IllegalArgumentException("a group has at least two members");
        }
        ConversationState state = new ConversationState(
                new Conversation(id, ConversationKind.GROUP, members, now));
        if (!registry.register(state)) {
            throw new ConflictException("conversation id is taken");
        }
        return state.conversation();
    }

    @Override
    public Optional<Conversation> find(ConversationId id) {
        return registry.find(id).map(ConversationState::conversation);
    }

    @Override
    public Optional<MemberState> member(ConversationId id, UserId userId) {
        return registry.find(id).map(state -> state.member(userId));
    }

    @Override
    public List<MemberState> members(ConversationId id) {
        return registry.find(id).map(ConversationState::members).orElse(List.of());
    }

    @Override
    public List<ConversationSummary> listFor(UserId userId, int limit) {
        return registry.of(userId).stream()
                .map(state -> state.summaryFor(userId))
                .filter(Objects::nonNull)
                .sorted(NEWEST_FIRST)
                .limit(limit)
                .toList();
    }
}

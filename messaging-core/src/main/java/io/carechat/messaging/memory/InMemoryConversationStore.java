package io.carechat.messaging.memory;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationKind;
import io.carechat.messaging.model.ConversationSummary;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.model.MembershipPeriod;
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
        String pair = UserId.pairKey(first, second);
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
        return register(new Conversation(id, ConversationKind.GROUP, members, now));
    }

    @Override
    public Conversation createGroup(ConversationId id, String title, List<UserId> members, Instant now) {
        requireNonNull(title, "title");
        return register(new Conversation(id, ConversationKind.GROUP, members, now, title));
    }

    private Conversation register(Conversation group) {
        if (group.memberIds().size() < 2) {
            throw new IllegalArgumentException("a group has at least two members");
        }
        ConversationState state = new ConversationState(group);
        if (!registry.register(state)) {
            throw new ConflictException("conversation id is taken");
        }
        return state.conversation();
    }

    @Override
    public MemberState addMember(ConversationId id, UserId userId, Instant now) {
        requireNonNull(userId, "userId");
        requireNonNull(now, "now");
        ConversationState state = group(id);
        // The state's monitor is the lock appends take, so the member joins between two seqs.
        MemberState joined = state.join(userId, now);
        if (joined == null) {
            throw new ConflictException("already a member");
        }
        registry.joined(userId, id);
        return joined;
    }

    @Override
    public boolean removeMember(ConversationId id, UserId userId, Instant now) {
        requireNonNull(userId, "userId");
        requireNonNull(now, "now");
        ConversationState state = group(id);
        if (!state.leave(userId, now)) {
            return false;
        }
        registry.left(userId, id);
        return true;
    }

    private ConversationState group(ConversationId id) {
        ConversationState state = registry.existing(id);
        if (state.conversation().kind() != ConversationKind.GROUP) {
            throw new IllegalArgumentException("members are added to and removed from groups only");
        }
        return state;
    }

    @Override
    public List<MembershipPeriod> membershipHistory(ConversationId id) {
        return registry.find(id).map(ConversationState::periods).orElse(List.of());
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

package io.carechat.messaging.spi;

import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationSummary;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.model.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stores conversations and their members. Implementations are thread-safe.
 */
public interface ConversationStore {

    /**
     * Returns the one direct conversation between two users, creating it if there is none. Atomic:
     * concurrent calls for the same pair, in either order, return the same conversation.
     *
     * @param proposedId the id to use if a conversation is created
     * @param first one user
     * @param second the other user, not {@code first}
     * @param now the creation time if created
     * @return the direct conversation
     */
    Conversation openDirect(ConversationId proposedId, UserId first, UserId second, Instant now);

    /**
     * Creates a group conversation.
     *
     * @param id its id
     * @param members its members, at least two, distinct
     * @param now the creation time
     * @return the conversation
     */
    Conversation createGroup(ConversationId id, List<UserId> members, Instant now);

    /**
     * Finds a conversation.
     *
     * @param id the id
     * @return the conversation, or empty
     */
    Optional<Conversation> find(ConversationId id);

    /**
     * A member's position in a conversation: this is the membership check.
     *
     * @param id the conversation
     * @param userId the user
     * @return the member's state, or empty when the conversation does not exist or the user is
     *     not a member
     */
    Optional<MemberState> member(ConversationId id, UserId userId);

    /**
     * Every member's position in a conversation.
     *
     * @param id the conversation
     * @return the members' states, empty when there is no such conversation
     */
    List<MemberState> members(ConversationId id);

    /**
     * The conversations a user is a member of, newest activity first (the newest message, or the
     * creation when there is none).
     *
     * @param userId the member
     * @param limit the most to return
     * @return the summaries
     */
    List<ConversationSummary> listFor(UserId userId, int limit);
}

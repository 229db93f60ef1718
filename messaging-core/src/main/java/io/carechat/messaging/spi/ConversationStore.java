package io.carechat.messaging.spi;

import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationSummary;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.model.MembershipPeriod;
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

    /**
     * Creates a group conversation with a title, such as a care team. Every member starts a
     * membership period at {@code seq} 0.
     *
     * @param id its id
     * @param title its title, 1 to {@link Conversation#MAX_TITLE_CHARS} characters
     * @param members its members, at least two, distinct, the creator first
     * @param now the creation time
     * @return the conversation
     * @throws io.carechat.messaging.error.NotFoundException if a member is not a stored user
     *     (stores that check users)
     * @throws io.carechat.messaging.error.ConflictException if the id is taken
     */
    Conversation createGroup(ConversationId id, String title, List<UserId> members, Instant now);

    /**
     * Adds a member to a group. Atomic with message appends: the member joins at the group's last
     * {@code seq} at that moment ({@link MemberState#joinedSeq()}), with delivered and read
     * positions there and nothing unread, and a new membership period starts.
     *
     * @param id the group
     * @param userId the new member
     * @param now when they join
     * @return the new member's state
     * @throws io.carechat.messaging.error.NotFoundException if there is no such conversation (or,
     *     in stores that check users, no such user)
     * @throws io.carechat.messaging.error.ConflictException if the user is a member already
     * @throws IllegalArgumentException if the conversation is a direct one
     */
    MemberState addMember(ConversationId id, UserId userId, Instant now);

    /**
     * Removes a member from a group. Atomic with message appends: from then on the user is no
     * member (no read, no send, no counters), and their current membership period ends at the
     * group's last {@code seq}. The period is kept.
     *
     * @param id the group
     * @param userId the member
     * @param now when they leave
     * @return true if they were a member and are removed, false if they were not a member
     * @throws io.carechat.messaging.error.NotFoundException if there is no such conversation
     * @throws IllegalArgumentException if the conversation is a direct one
     */
    boolean removeMember(ConversationId id, UserId userId, Instant now);

    /**
     * Every membership period of a conversation, past and current, in the order they started
     * (by {@code joinedSeq}, then by when they started, then by user id).
     *
     * @param id the conversation
     * @return the periods, empty when there is no such conversation
     */
    List<MembershipPeriod> membershipHistory(ConversationId id);
}

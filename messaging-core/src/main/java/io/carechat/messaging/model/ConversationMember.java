package io.carechat.messaging.model;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A member of a conversation as the other members see them: who they are and how far they have
 * received and read, so a client can name its conversation partners and draw delivered and read
 * marks. Immutable and thread-safe.
 *
 * @param id the member
 * @param displayName the name other users see; the member's id when their account is gone
 * @param roles the roles the member holds now, as stored; empty when their account is gone
 * @param deliveredSeq the highest {@code seq} the member's devices received
 * @param readSeq the highest {@code seq} the member read, never above {@code deliveredSeq}
 * @param joinedSeq the conversation's last {@code seq} when the member joined (0 for a founding
 *     member); the member sees messages after it only
 */
public record ConversationMember(
        UserId id, String displayName, Set<Role> roles, long deliveredSeq, long readSeq, long joinedSeq) {

    /**
     * A founding member, who joined at {@code seq} 0.
     *
     * @param id the member
     * @param displayName the name other users see
     * @param roles the roles the member holds
     * @param deliveredSeq the delivered position
     * @param readSeq the read position
     */
    public ConversationMember(UserId id, String displayName, Set<Role> roles, long deliveredSeq, long readSeq) {
        this(id, displayName, roles, deliveredSeq, readSeq, 0);
    }

    /** Checks the fields and copies the role set. */
    public ConversationMember {
        requireNonNull(id, "id");
        requireNonNull(displayName, "displayName");
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        if (deliveredSeq < 0 || readSeq < 0 || joinedSeq < 0) {
            throw new IllegalArgumentException("seq is never negative");
        }
        if (readSeq > deliveredSeq) {
            throw new IllegalArgumentException("readSeq cannot exceed deliveredSeq");
        }
    }

    /**
     * A member's position with the account's name and roles.
     *
     * @param state the member's position
     * @param user the member's account, or null when it is gone
     * @return the member
     */
    public static ConversationMember of(MemberState state, @Nullable User user) {
        requireNonNull(state, "state");
        if (user != null && !user.id().equals(state.userId())) {
            throw new IllegalArgumentException("the user is not the member");
        }
        return new ConversationMember(state.userId(),
                user == null ? state.userId().value() : user.displayName(),
                user == null ? Set.of() : user.roles(),
                state.deliveredSeq(), state.readSeq(), state.joinedSeq());
    }
}

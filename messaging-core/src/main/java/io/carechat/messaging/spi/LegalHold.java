package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Ids;
import io.carechat.messaging.model.UserId;
import java.time.Instant;

/**
 * A legal hold: while it stands, retention purges nothing of the conversation it names, or of any
 * conversation the user it names is a member of. Immutable and thread-safe.
 *
 * @param id the hold's id
 * @param target what kind of thing is held
 * @param subjectId the held conversation's or user's id
 * @param placedBy the admin who placed it
 * @param placedAt when
 */
public record LegalHold(String id, Target target, String subjectId, UserId placedBy, Instant placedAt) {

    /** What a hold applies to. */
    public enum Target {
        /** One conversation. */
        CONVERSATION,
        /** Every conversation a user is a member of. */
        USER
    }

    /** Checks the fields. */
    public LegalHold {
        id = Ids.check(id, "LegalHold id");
        requireNonNull(target, "target");
        subjectId = target == Target.USER
                ? UserId.of(requireNonNull(subjectId, "subjectId")).value()
                : Ids.check(subjectId, "LegalHold subjectId");
        requireNonNull(placedBy, "placedBy");
        requireNonNull(placedAt, "placedAt");
    }

    /**
     * A hold on a conversation.
     *
     * @param id the hold's id
     * @param conversationId the conversation
     * @param placedBy the admin
     * @param placedAt when
     * @return the hold
     */
    public static LegalHold onConversation(String id, ConversationId conversationId, UserId placedBy, Instant placedAt) {
        return new LegalHold(id, Target.CONVERSATION, conversationId.value(), placedBy, placedAt);
    }

    /**
     * A hold on a user.
     *
     * @param id the hold's id
     * @param userId the user
     * @param placedBy the admin
     * @param placedAt when
     * @return the hold
     */
    public static LegalHold onUser(String id, UserId userId, UserId placedBy, Instant placedAt) {
        return new LegalHold(id, Target.USER, userId.value(), placedBy, placedAt);
    }
}

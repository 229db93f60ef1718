package io.carechat.messaging.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a doctor sees on breaking the glass: their grant (with the reason they gave) and the
 * conversation's members. Immutable and thread-safe.
 *
 * @param grant the grant
 * @param members the conversation's members, with display names and roles
 */
public record BreakGlassAccess(BreakGlassGrant grant, List<ConversationMember> members) {

    /** Checks and copies the fields. */
    public BreakGlassAccess {
        requireNonNull(grant, "grant");
        members = List.copyOf(members);
    }
}

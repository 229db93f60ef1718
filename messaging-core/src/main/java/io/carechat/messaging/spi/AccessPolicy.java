package io.carechat.messaging.spi;

import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import java.util.List;

/**
 * Decides who may open a conversation with whom, and so whom a user sees as contacts. A hospital
 * replaces it with its own care-team rules through
 * {@link io.carechat.messaging.Messaging.Builder#accessPolicy(AccessPolicy)}.
 *
 * <p>The policy never grants access to an existing conversation: every read and write in one is
 * checked against stored membership, whatever the policy says; the one exception is a stored,
 * unexpired break-glass grant, which {@link #mayBreakGlass(User)} decides who may take. Both users are passed as stored
 * (roles from the store, not from a token). Implementations are thread-safe.
 */
public interface AccessPolicy {

    /**
     * Tells whether {@code from} may open a direct conversation with {@code to}. Only called for
     * two different, enabled users.
     *
     * @param from the user opening
     * @param to the other user
     * @return true if allowed
     */
    boolean mayMessage(User from, User to);

    /**
     * The users {@code caller} may message, for the contact list. Every user returned must pass
     * {@link #mayMessage(User, User)}; the facade checks it again.
     *
     * @param caller the user asking
     * @param users the user store to look in
     * @param limit the most to return
     * @return the contacts
     */
    List<User> contacts(User caller, UserStore users, int limit);

    /**
     * Tells whether a user may create a group conversation (a care team). Groups are opt-in: this
     * default refuses, so a policy written before groups existed allows none;
     * {@link io.carechat.messaging.DefaultAccessPolicy} lets doctors create them.
     *
     * @param creator the user creating it, as stored
     * @return true if allowed
     */
    default boolean mayCreateGroup(User creator) {
        return false;
    }

    /**
     * Tells whether {@code adder} may make {@code candidate} a member of a group, when creating it
     * or later. Only called for two different, enabled users. This default refuses.
     *
     * @param adder the user adding, as stored
     * @param candidate the user to add, as stored
     * @return true if allowed
     */
    default boolean mayAddToGroup(User adder, User candidate) {
        return false;
    }

    /**
     * Tells whether {@code remover}, a member of a group, may remove a member from it. This
     * default refuses.
     *
     * @param remover the member removing, as stored
     * @param member the member to remove (the remover themselves when leaving); their account may
     *     be disabled or gone
     * @return true if allowed
     */
    default boolean mayRemoveFromGroup(User remover, UserId member) {
        return false;
    }

    /**
     * Tells whether a user may break the glass: open, in an emergency, a conversation they are
     * not a member of, for a limited time, audited and announced to admins. Called with the
     * stored user. The default is {@code false}, so a policy written before break-glass existed
     * grants it to no one; {@link io.carechat.messaging.DefaultAccessPolicy} lets enabled doctors.
     *
     * @param user the user asking, as stored
     * @return true if allowed
     */
    default boolean mayBreakGlass(User user) {
        return false;
    }

    /**
     * Tells whether a user may read their own access log: who read or joined their conversations,
     * when, and on what ground. Called with the stored user. The default lets enabled patients.
     *
     * @param user the user asking, as stored
     * @return true if allowed
     */
    default boolean mayReadAccessLog(User user) {
        return user.enabled() && user.hasRole(Role.PATIENT);
    }
}

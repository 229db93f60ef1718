package io.carechat.messaging.internal;

import io.carechat.messaging.model.Contact;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AccessPolicy;
import io.carechat.messaging.spi.UserStore;
import java.util.List;

/**
 * Lists whom a user may message, each with their availability. Every user the policy proposes is
 * checked again with {@link AccessPolicy#mayMessage(User, User)}. Not API. Thread-safe.
 */
public final class ContactService {
    private final UserStore userStore;
    private final ActiveUsers users;
    private final AccessPolicy policy;
    private final PresenceRegistry presence;
    private final int maxContacts;

    /**
     * Creates the service.
     *
     * @param userStore the user store the policy looks in
     * @param users loads the caller as stored
     * @param policy the access policy
     * @param presence current availability
     * @param maxContacts the most contacts one listing returns
     */
    public ContactService(UserStore userStore, ActiveUsers users, AccessPolicy policy,
            PresenceRegistry presence, int maxContacts) {
        this.userStore = userStore;
        this.users = users;
        this.policy = policy;
        this.presence = presence;
        this.maxContacts = maxContacts;
    }

    /**
     * The contacts of a user.
     *
     * @param callerId the user
     * @return the contacts, in the policy's order
     */
    public List<Contact> contactsOf(UserId callerId) {
        User caller = users.caller(callerId);
        return policy.contacts(caller, userStore, maxContacts).stream()
                .filter(other -> !other.id().equals(callerId) && other.enabled())
                .filter(other -> policy.mayMessage(caller, other))
                .distinct()
                .limit(maxContacts)
                .map(other -> new Contact(other, presence.of(other.id())))
                .toList();
    }
}

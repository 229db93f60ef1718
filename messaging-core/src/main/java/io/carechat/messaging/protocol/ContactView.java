package io.carechat.messaging.protocol;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.Contact;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import java.util.EnumSet;
import java.util.Set;

/**
 * A contact as the {@code contacts} frame shows it: id, display name, roles and presence, and
 * nothing more (no user name, no e-mail address). Immutable and thread-safe.
 *
 * @param id the user's id
 * @param displayName the name to show
 * @param roles the roles the user holds
 * @param presence their availability
 */
public record ContactView(UserId id, String displayName, Set<Role> roles, Presence presence) {

    /** Checks the fields and copies the set. */
    public ContactView {
        requireNonNull(id, "id");
        requireNonNull(displayName, "displayName");
        requireNonNull(presence, "presence");
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    /**
     * The view of a contact.
     *
     * @param contact the contact
     * @return the view
     */
    public static ContactView of(Contact contact) {
        requireNonNull(contact, "contact");
        return new ContactView(contact.user().id(), contact.user().displayName(), contact.user().roles(),
                contact.presence());
    }
}

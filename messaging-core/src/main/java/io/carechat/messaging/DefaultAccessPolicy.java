package io.carechat.messaging;

import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AccessPolicy;
import io.carechat.messaging.spi.UserStore;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The default rules: patients message doctors; doctors message patients and other doctors;
 * patients never message patients; being an admin adds no one. Care teams: a doctor creates a
 * group with the doctors and patients they may message and adds such users later; a doctor member
 * removes any member. Doctors may break the glass; patients read their own access log. Stateless
 * and thread-safe.
 */
public final class DefaultAccessPolicy implements AccessPolicy {

    /** The one instance. */
    public static final DefaultAccessPolicy INSTANCE = new DefaultAccessPolicy();

    private DefaultAccessPolicy() {}

    @Override
    public boolean mayMessage(User from, User to) {
        if (from.id().equals(to.id()) || !from.enabled() || !to.enabled()) {
            return false;
        }
        if (from.hasRole(Role.DOCTOR)) {
            return to.hasRole(Role.PATIENT) || to.hasRole(Role.DOCTOR);
        }
        if (from.hasRole(Role.PATIENT)) {
            return to.hasRole(Role.DOCTOR);
        }
        return false;
    }

    @Override
    public List<User> contacts(User caller, UserStore users, int limit) {
        Set<Role> reachable = EnumSet.noneOf(Role.class);
        if (caller.hasRole(Role.DOCTOR)) {
            reachable.add(Role.PATIENT);
            reachable.add(Role.DOCTOR);
        } else if (caller.hasRole(Role.PATIENT)) {
            reachable.add(Role.DOCTOR);
        }
        if (reachable.isEmpty()) {
            return List.of();
        }
        // One more than the limit, since the caller may be among them.
        return users.findEnabledWithAnyRole(reachable, limit + 1).stream()
                .filter(other -> mayMessage(caller, other))
                .limit(limit)
                .toList();
    }

    /** Doctors create care teams; patients and admins do not. */
    @Override
    public boolean mayCreateGroup(User creator) {
        return creator.enabled() && creator.hasRole(Role.DOCTOR);
    }

    /** A doctor adds the users they may message: patients and other doctors. */
    @Override
    public boolean mayAddToGroup(User adder, User candidate) {
        return mayCreateGroup(adder) && mayMessage(adder, candidate);
    }

    /** A doctor member removes any member, themselves included. */
    @Override
    public boolean mayRemoveFromGroup(User remover, UserId member) {
        return remover.enabled() && remover.hasRole(Role.DOCTOR);
    }

    /** Enabled doctors may break the glass; patients and admins who are not doctors may not. */
    @Override
    public boolean mayBreakGlass(User user) {
        return user.enabled() && user.hasRole(Role.DOCTOR);
    }

    /** Enabled patients may read their access log. */
    @Override
    public boolean mayReadAccessLog(User user) {
        return user.enabled() && user.hasRole(Role.PATIENT);
    }
}

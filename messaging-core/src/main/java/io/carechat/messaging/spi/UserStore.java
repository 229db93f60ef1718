package io.carechat.messaging.spi;

import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Stores user accounts and their password hashes. Usernames and e-mail addresses are unique
 * without regard to case, and a login may be either. Implementations are thread-safe.
 */
public interface UserStore {

    /**
     * Stores a new user.
     *
     * @param user the user, with a fresh id
     * @param passwordHash the self-describing password hash
     * @return the stored user
     * @throws ConflictException if the username or the e-mail address is taken in any case; the
     *     message says which, never echoing the value
     */
    User create(User user, String passwordHash);

    /**
     * Finds a user by id.
     *
     * @param id the id
     * @return the user, or empty
     */
    Optional<User> find(UserId id);

    /**
     * Finds several users at once; unknown ids are left out.
     *
     * @param ids the ids
     * @return the users found, in no particular order
     */
    List<User> findAll(Collection<UserId> ids);

    /**
     * Finds a user and their password hash by username or e-mail address, without regard to case.
     *
     * @param login a username or an e-mail address
     * @return the credentials, or empty
     */
    Optional<StoredCredentials> findCredentials(String login);

    /**
     * Replaces a user's password hash.
     *
     * @param id the user
     * @param passwordHash the new hash
     * @throws NotFoundException if there is no such user
     */
    void setPasswordHash(UserId id, String passwordHash);

    /**
     * Replaces a user's roles.
     *
     * @param id the user
     * @param roles the new roles, not empty
     * @return the changed user
     * @throws NotFoundException if there is no such user
     */
    User setRoles(UserId id, Set<Role> roles);

    /**
     * Replaces a user's username, e-mail address and display name, for a directory sync. Roles,
     * enabled state, password hash and creation instant stay as stored.
     *
     * @param id the user
     * @param username the new username
     * @param email the new e-mail address
     * @param displayName the new display name
     * @return the changed user
     * @throws NotFoundException if there is no such user
     * @throws ConflictException if another user holds the username or the e-mail address in any
     *     case; the message says which, never echoing the value
     */
    User updateProfile(UserId id, String username, String email, String displayName);

    /**
     * Enables or disables a user.
     *
     * @param id the user
     * @param enabled whether the account may be used
     * @return the changed user
     * @throws NotFoundException if there is no such user
     */
    User setEnabled(UserId id, boolean enabled);

    /**
     * Moves forward the instant before which the user's access tokens are refused (their "valid
     * after" instant), for a logout, a disabled account or changed roles. It never moves back: an
     * earlier instant than the stored one leaves the stored one.
     *
     * @param id the user
     * @param validAfter the new instant
     * @return the instant in force afterwards, as {@link #tokensValidAfter} reads it back
     * @throws NotFoundException if there is no such user
     */
    Instant revokeTokensIssuedBefore(UserId id, Instant validAfter);

    /**
     * The instant before which the user's access tokens are refused.
     *
     * @param id the user
     * @return the instant, or empty when the user's tokens were never revoked or there is no such
     *     user
     */
    Optional<Instant> tokensValidAfter(UserId id);

    /**
     * Lists enabled users holding any of the given roles, ordered by display name then username.
     *
     * @param roles the roles
     * @param limit the most to return
     * @return the users
     */
    List<User> findEnabledWithAnyRole(Set<Role> roles, int limit);

    /**
     * Lists all users ordered by lower-case username, for paging through accounts.
     *
     * @param afterUsername start after this username (compared in lower case), or null for the
     *     first page
     * @param limit the most to return
     * @return the users
     */
    List<User> list(@Nullable String afterUsername, int limit);

    /**
     * Counts the stored users.
     *
     * @return how many users exist
     */
    long count();
}

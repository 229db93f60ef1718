package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

/**
 * How an external identity provider's unknown subject becomes a CareChat user on its first valid
 * token ({@link ExternalIdentityProvider.Builder#provisioning}): which claims give the username,
 * the e-mail address and the display name. The user's id is the token's user id claim and its
 * roles come from the provider's role mapping; the user gets no password, so it can only sign in
 * through the provider. Each creation is audited as {@code user.provisioned}.
 *
 * <p>A claim that is missing, malformed or names a username or e-mail address another user holds
 * is replaced: the username by {@code user-} and ten hexadecimal digits derived from the subject,
 * the e-mail address by that username at {@code users.invalid}, the display name by the username.
 *
 * <p>Later tokens do not change the stored user. Decisions about data use the stored roles, which
 * stay as provisioned until an admin or a directory sync changes them (and such a change revokes
 * the user's tokens at once); a token's role claims only decide whether it is accepted at all. A
 * token never rewrites stored roles, so an older token still in flight cannot undo a newer
 * change. Immutable and thread-safe.
 *
 * @param usernameClaim the claim with the username, such as {@code preferred_username}
 * @param emailClaim the claim with the e-mail address, such as {@code email}
 * @param displayNameClaim the claim with the display name, such as {@code name}
 */
public record JustInTimeProvisioning(String usernameClaim, String emailClaim, String displayNameClaim) {

    /** Checks the fields. */
    public JustInTimeProvisioning {
        requireNonNull(usernameClaim, "usernameClaim");
        requireNonNull(emailClaim, "emailClaim");
        requireNonNull(displayNameClaim, "displayNameClaim");
    }

    /**
     * Provisioning from the OpenID Connect standard claims {@code preferred_username},
     * {@code email} and {@code name}, which Keycloak puts in access tokens, and Entra ID and Okta
     * when configured to.
     *
     * @return the settings
     */
    public static JustInTimeProvisioning standard() {
        return new JustInTimeProvisioning("preferred_username", "email", "name");
    }
}

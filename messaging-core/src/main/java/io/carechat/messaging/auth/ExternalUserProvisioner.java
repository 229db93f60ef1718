package io.carechat.messaging.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import io.carechat.messaging.audit.AuditRecorder;
import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.UserStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Creates the CareChat user of an external subject on its first valid token, as
 * {@link JustInTimeProvisioning} describes, and audits it as {@code user.provisioned}. Two first
 * requests at once create one user: the store refuses the second creation, which then finds the
 * user the first made. Remembers (up to {@value #MAX_REMEMBERED} ids) the subjects it knows to
 * exist, so a user's later tokens cost no store read. Thread-safe; holds no resources.
 */
final class ExternalUserProvisioner {

    static final int MAX_REMEMBERED = 10_000;
    /** The stored "hash" of a user without a password: no password ever verifies against it. */
    static final String NO_PASSWORD = "!external-identity-provider";
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{3,32}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
    private static final int MAX_EMAIL = 254;
    private static final int MAX_DISPLAY_NAME = 100;

    private final UserStore users;
    private final AuditRecorder audit;
    private final Set<UserId> known = ConcurrentHashMap.newKeySet();

    ExternalUserProvisioner(UserStore users, AuditRecorder audit) {
        this.users = users;
        this.audit = audit;
    }

    /**
     * Makes sure the caller's user exists, creating it from the token's claims if not.
     *
     * @throws TokenRejection {@code provisioning_failed} when the user can be neither created nor
     *     found
     */
    void ensure(JustInTimeProvisioning settings, JWTClaimsSet claims, Caller caller) {
        UserId id = caller.userId();
        if (known.contains(id)) {
            return;
        }
        if (users.find(id).isEmpty()) {
            create(settings, claims, caller);
        }
        if (known.size() >= MAX_REMEMBERED) {
            known.clear();
        }
        known.add(id);
    }

    private void create(JustInTimeProvisioning settings, JWTClaimsSet claims, Caller caller) {
        String fallbackUsername = "user-" + digest(caller.userId().value());
        String username = usable(username(stringClaim(claims, settings.usernameClaim())), fallbackUsername);
        String email = usable(email(stringClaim(claims, settings.emailClaim())), fallbackUsername + "@users.invalid");
        String displayName = displayName(stringClaim(claims, settings.displayNameClaim()), username);
        User user = new User(caller.userId(), username, email, displayName, caller.roles(), true,
                audit.clock().instant());
        try {
            users.create(user, NO_PASSWORD);
        } catch (ConflictException e) {
            if (users.find(caller.userId()).isPresent()) {
                return;
            }
            throw new TokenRejection("provisioning_failed");
        }
        audit.recordOrUndo(audit.event("user.provisioned", AuditEvent.Outcome.SUCCESS)
                        .actor(user.id(), user.roles())
                        .object("user", user.id().value())
                        .patient(Admins.patientOf(user))
                        .build(),
                () -> users.setEnabled(user.id(), false));
    }

    /** The candidate, unless it is missing or another user already signs in with it. */
    private String usable(@Nullable String candidate, String fallback) {
        if (candidate == null || users.findCredentials(candidate).isPresent()) {
            return fallback;
        }
        return candidate;
    }

    private static @Nullable String username(@Nullable String value) {
        if (value == null) {
            return null;
        }
        String candidate = value.strip();
        if (!USERNAME.matcher(candidate).matches() && candidate.indexOf('@') > 0) {
            candidate = candidate.substring(0, candidate.indexOf('@'));
        }
        return USERNAME.matcher(candidate).matches() ? candidate : null;
    }

    private static @Nullable String email(@Nullable String value) {
        if (value == null) {
            return null;
        }
        String candidate = value.strip();
        return candidate.length() <= MAX_EMAIL && EMAIL.matcher(candidate).matches() ? candidate : null;
    }

    private static String displayName(@Nullable String value, String username) {
        if (value == null) {
            return username;
        }
        String candidate = value.strip();
        if (candidate.isEmpty() || candidate.length() > MAX_DISPLAY_NAME
                || candidate.codePoints().anyMatch(Character::isISOControl)) {
            return username;
        }
        return candidate;
    }

    private static @Nullable String stringClaim(JWTClaimsSet claims, String name) {
        return claims.getClaim(name) instanceof String s ? s : null;
    }

    private static String digest(String subject) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(subject.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}

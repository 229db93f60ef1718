package io.carechat.messaging.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns one external provider's verified claims into a {@link Caller}: the user id from its user
 * id claim, the roles from the values found at each of its role claim paths (a name, or a dotted
 * path into nested objects such as {@code realm_access.roles}; an array of strings or one
 * space-separated string), mapped by its role mapping, and its default role (or a refusal with
 * reason {@code no_mapped_role}) when none maps. Immutable and thread-safe.
 */
final class ExternalClaims {

    private final ExternalIdentityProvider provider;

    ExternalClaims(ExternalIdentityProvider provider) {
        this.provider = provider;
    }

    Caller caller(JWTClaimsSet claims) {
        Object rawId = claims.getClaim(provider.userIdClaim());
        UserId userId = AccessTokens.userId(rawId instanceof String s ? s : null);
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String path : provider.rolesClaims()) {
            for (String value : values(at(claims.getClaims(), path))) {
                Role role = provider.roleMapping().get(value);
                if (role != null) {
                    roles.add(role);
                }
            }
        }
        if (roles.isEmpty()) {
            roles.add(provider.defaultRole().orElseThrow(() -> new TokenRejection("no_mapped_role")));
        }
        return Caller.of(userId, roles);
    }

    /** The value at a dotted path, or null where any step is missing or not an object. */
    static @Nullable Object at(Map<String, Object> claims, String path) {
        Object current = claims;
        for (String step : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> object)) {
                return null;
            }
            current = object.get(step);
        }
        return current;
    }

    private static List<String> values(@Nullable Object raw) {
        List<String> values = new ArrayList<>();
        if (raw instanceof String s) {
            for (String part : s.trim().split("\\s+")) {
                if (!part.isEmpty()) {
                    values.add(part);
                }
            }
        } else if (raw instanceof List<?> list) {
            for (Object value : list) {
                if (value instanceof String s) {
                    values.add(s);
                }
            }
        }
        return values;
    }
}

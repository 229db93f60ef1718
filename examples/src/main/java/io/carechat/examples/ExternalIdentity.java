package io.carechat.examples;

import io.carechat.messaging.auth.ExternalIdentityProvider;
import io.carechat.messaging.auth.JustInTimeProvisioning;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.model.Role;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The demo server's hospital identity provider, from the {@code CARECHAT_IDP_*} settings: its
 * issuer, JWKS URL, audiences, accepted {@code typ} values, optional claims, user id claim, role
 * claims and role mapping, default role, and just-in-time provisioning; and whether the server runs
 * external-only ({@code CARECHAT_EXTERNAL_ONLY}: it then issues no tokens and login, refresh and
 * registration answer 403). Without {@code CARECHAT_IDP_ISSUER} no provider is configured.
 * Immutable; part of {@link ServerConfig}, checked with it.
 *
 * @param provider the provider, if configured
 * @param externalOnly whether CareChat issues no tokens itself
 */
record ExternalIdentity(Optional<ExternalIdentityProvider> provider, boolean externalOnly) {

    /** The {@code typ} setting's word for "no typ header". */
    static final String NO_TYPE = "none";

    /** The raw settings, as read. */
    record Values(String issuer, String jwksUrl, List<String> audiences, List<String> types,
            List<String> optionalClaims, String userIdClaim, List<String> rolesClaims, List<String> roleMap,
            String defaultRole, boolean provision, boolean externalOnly) {}

    /**
     * Checks the settings and builds the provider, adding one line per problem, each naming its
     * setting.
     *
     * @param v the settings
     * @param problems where problems go
     * @return the identity settings
     */
    static ExternalIdentity of(Values v, List<String> problems) {
        if (v.issuer().isEmpty()) {
            if (v.externalOnly()) {
                problems.add(Setting.EXTERNAL_ONLY.envName() + " needs an identity provider: set "
                        + Setting.IDP_ISSUER.envName() + " and the other CARECHAT_IDP_ settings");
            }
            return new ExternalIdentity(Optional.empty(), false);
        }
        ExternalIdentityProvider.Builder builder = ExternalIdentityProvider.builder().issuer(v.issuer());
        if (v.jwksUrl().isEmpty()) {
            problems.add(Setting.IDP_JWKS_URL.envName() + " is required with " + Setting.IDP_ISSUER.envName());
            return new ExternalIdentity(Optional.empty(), v.externalOnly());
        }
        try {
            builder.jwksUrl(URI.create(v.jwksUrl()));
        } catch (IllegalArgumentException e) {
            problems.add(Setting.IDP_JWKS_URL.envName() + " must be a URL");
            return new ExternalIdentity(Optional.empty(), v.externalOnly());
        }
        if (v.audiences().isEmpty()) {
            problems.add(Setting.IDP_AUDIENCE.envName() + " is required with " + Setting.IDP_ISSUER.envName());
        }
        builder.audiences(v.audiences().toArray(String[]::new));
        builder.acceptedTypes(v.types().stream().filter(t -> !t.equalsIgnoreCase(NO_TYPE)).toArray(String[]::new));
        builder.acceptMissingType(v.types().stream().anyMatch(t -> t.equalsIgnoreCase(NO_TYPE)));
        builder.optionalClaims(v.optionalClaims().toArray(String[]::new));
        builder.userIdClaim(v.userIdClaim());
        builder.rolesClaims(v.rolesClaims().toArray(String[]::new));
        for (String pair : v.roleMap()) {
            int colon = pair.lastIndexOf(':');
            Optional<Role> role = colon > 0 ? role(pair.substring(colon + 1)) : Optional.empty();
            if (role.isEmpty()) {
                problems.add(Setting.IDP_ROLE_MAP.envName()
                        + " must be value:ROLE pairs, comma-separated, each ROLE one of ADMIN, DOCTOR, PATIENT");
                break;
            }
            builder.mapRole(pair.substring(0, colon).trim(), role.get());
        }
        if (!v.defaultRole().isEmpty()) {
            Optional<Role> role = role(v.defaultRole());
            if (role.isEmpty()) {
                problems.add(Setting.IDP_DEFAULT_ROLE.envName() + " must be empty, ADMIN, DOCTOR or PATIENT");
            } else {
                builder.defaultRole(role.get());
            }
        }
        if (v.provision()) {
            builder.provisioning(JustInTimeProvisioning.standard());
        }
        try {
            return new ExternalIdentity(Optional.of(builder.build()), v.externalOnly());
        } catch (ConfigurationException e) {
            problems.add("the CARECHAT_IDP_ settings do not fit together: " + String.join("; ", e.problems()));
            return new ExternalIdentity(Optional.empty(), v.externalOnly());
        }
    }

    private static Optional<Role> role(String name) {
        try {
            return Optional.of(Role.valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

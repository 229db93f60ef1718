package io.carechat.spring.boot;

import io.carechat.messaging.auth.ExternalIdentityProvider;
import io.carechat.messaging.auth.JustInTimeProvisioning;
import io.carechat.messaging.auth.TokenSettings;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.model.Role;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

/**
 * Turns the {@code carechat.identity.*} settings, with Spring Security's resource server settings
 * as defaults for the issuer and JWKS URL, into CareChat's {@link TokenSettings}: external-only
 * (CareChat issues no tokens and holds no signing key) with the one hospital provider. Without a
 * JWKS URL, it is read from the issuer's published metadata ({@link IssuerDiscovery}). Stateless.
 */
final class IdentitySettings {

    /** Spring Security's resource server issuer setting. */
    static final String SPRING_ISSUER = "spring.security.oauth2.resourceserver.jwt.issuer-uri";
    /** Spring Security's resource server JWKS setting. */
    static final String SPRING_JWKS = "spring.security.oauth2.resourceserver.jwt.jwk-set-uri";
    /** The accepted-types word for "no typ header". */
    static final String NO_TYPE = "none";

    private IdentitySettings() {}

    /**
     * Builds the token settings.
     *
     * @param properties the bound {@code carechat.*} settings
     * @param environment where Spring Security's settings are read
     * @return external-only token settings with the hospital's provider
     * @throws ConfigurationException naming the settings to set when the issuer is missing or
     *     its JWKS URL can be neither read nor discovered, or listing what the provider's builder
     *     found wrong
     */
    static TokenSettings tokenSettings(CareChatProperties properties, Environment environment) {
        return TokenSettings.builder()
                .issuer(properties.getTokens().getIssuer())
                .audience(properties.getTokens().getAudience())
                .externalOnly()
                .externalProvider(provider(properties, environment))
                .build();
    }

    static ExternalIdentityProvider provider(CareChatProperties properties, Environment environment) {
        CareChatProperties.Identity identity = properties.getIdentity();
        String springIssuer = firstSet(environment.getProperty(SPRING_ISSUER), null);
        String issuer = firstSet(identity.getIssuer(), springIssuer);
        // Spring Security's JWKS URL belongs to Spring Security's issuer: never paired with another.
        String springJwks = springIssuer == null || springIssuer.equals(issuer)
                ? environment.getProperty(SPRING_JWKS) : null;
        String jwksUrl = firstSet(identity.getJwksUrl(), springJwks);
        if (issuer == null) {
            throw new ConfigurationException("carechat.identity", List.of(
                    "CareChat needs the identity provider's issuer: set carechat.identity.issuer (and "
                            + "carechat.identity.jwks-url), or " + SPRING_ISSUER + " (and " + SPRING_JWKS + ")"));
        }
        if (jwksUrl == null) {
            jwksUrl = IssuerDiscovery.jwksUrl(issuer);
        }
        List<String> audiences = identity.getAudiences().isEmpty()
                ? List.of(properties.getTokens().getAudience())
                : identity.getAudiences();
        ExternalIdentityProvider.Builder builder = ExternalIdentityProvider.builder()
                .issuer(issuer)
                .audiences(audiences.toArray(String[]::new))
                .acceptedTypes(identity.getAcceptedTypes().stream()
                        .filter(type -> !type.equalsIgnoreCase(NO_TYPE)).toArray(String[]::new))
                .acceptMissingType(identity.getAcceptedTypes().stream().anyMatch(type -> type.equalsIgnoreCase(NO_TYPE)))
                .optionalClaims(identity.getOptionalClaims().stream()
                        .map(claim -> claim.toLowerCase(Locale.ROOT)).toArray(String[]::new))
                .userIdClaim(identity.getUserIdClaim())
                .rolesClaims(identity.getRolesClaims().toArray(String[]::new));
        try {
            builder.jwksUrl(URI.create(jwksUrl));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("carechat.identity", List.of("carechat.identity.jwks-url must be a URL"));
        }
        for (Map.Entry<String, Role> mapping : identity.getRoleMapping().entrySet()) {
            builder.mapRole(mapping.getKey(), mapping.getValue());
        }
        if (identity.getDefaultRole() != null) {
            builder.defaultRole(identity.getDefaultRole());
        }
        if (identity.isProvisioning()) {
            builder.provisioning(JustInTimeProvisioning.standard());
        }
        return builder.build();
    }

    private static @Nullable String firstSet(@Nullable String preferred, @Nullable String fallback) {
        if (preferred != null && !preferred.isBlank()) {
            return preferred.strip();
        }
        return fallback == null || fallback.isBlank() ? null : fallback.strip();
    }
}

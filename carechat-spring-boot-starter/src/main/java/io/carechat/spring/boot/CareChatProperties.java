package io.carechat.spring.boot;

import io.carechat.messaging.model.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code carechat.*} settings of the Spring Boot starter: the messaging limits, where the
 * encryption keys come from, the hospital identity provider whose tokens the chat socket accepts
 * (with its role mapping), and the WebSocket endpoint's path and allowed origins. Bound once by
 * Spring at start-up and read by {@link CareChatAutoConfiguration}; the values are checked when
 * CareChat's own builders run, which report every problem together. Not thread-safe while being
 * bound; read-only afterwards.
 */
@ConfigurationProperties("carechat")
public class CareChatProperties {

    private final Tokens tokens = new Tokens();
    private final Identity identity = new Identity();
    private final Encryption encryption = new Encryption();
    private final Limits limits = new Limits();
    private final WebSocket websocket = new WebSocket();
    private final Hub hub = new Hub();
    private final Jobs jobs = new Jobs();

    /** @return CareChat's own name in tokens */
    public Tokens getTokens() {
        return tokens;
    }

    /** @return the hospital identity provider */
    public Identity getIdentity() {
        return identity;
    }

    /** @return where the encryption keys come from */
    public Encryption getEncryption() {
        return encryption;
    }

    /** @return the messaging limits */
    public Limits getLimits() {
        return limits;
    }

    /** @return the WebSocket endpoint */
    public WebSocket getWebsocket() {
        return websocket;
    }

    /** @return the real-time hub */
    public Hub getHub() {
        return hub;
    }

    /** @return the background jobs */
    public Jobs getJobs() {
        return jobs;
    }

    /** CareChat's own name: it issues no tokens here, but refuses tokens that claim to be its own. */
    public static class Tokens {
        /** The issuer that names this CareChat; a token claiming it is refused. */
        private String issuer = "carechat";
        /** The audience that names this CareChat. */
        private String audience = "carechat";

        /** @return the issuer */
        public String getIssuer() {
            return issuer;
        }

        /** @param issuer the issuer */
        public void setIssuer(String issuer) {
            this.issuer = issuer;
        }

        /** @return the audience */
        public String getAudience() {
            return audience;
        }

        /** @param audience the audience */
        public void setAudience(String audience) {
            this.audience = audience;
        }
    }

    /**
     * The hospital's identity provider. Its issuer and JWKS URL default to the application's
     * Spring Security resource server settings ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri}
     * and {@code jwk-set-uri}), so the application's API and the chat socket trust the same issuer.
     */
    public static class Identity {
        /** The provider's issuer ({@code iss}); defaults to spring.security.oauth2.resourceserver.jwt.issuer-uri. */
        private @Nullable String issuer;
        /** Its JWKS URL (https, or http on loopback); defaults to spring.security.oauth2.resourceserver.jwt.jwk-set-uri. */
        private @Nullable String jwksUrl;
        /** The audiences its tokens may carry, at least one; defaults to carechat.tokens.audience. */
        private List<String> audiences = new ArrayList<>();
        /** Accepted header typ values; "none" accepts a token without typ (Okta). */
        private List<String> acceptedTypes = new ArrayList<>(List.of("at+jwt", "application/at+jwt"));
        /** Claims the provider omits: jti, iat or both. */
        private List<String> optionalClaims = new ArrayList<>();
        /** The claim holding the user id (oid for Entra ID, uid for Okta). */
        private String userIdClaim = "sub";
        /** Claims holding role values, each a name or a dotted path such as realm_access.roles. */
        private List<String> rolesClaims = new ArrayList<>(List.of("roles"));
        /** Role claim values mapped to CareChat roles; empty maps ADMIN, DOCTOR and PATIENT to themselves. */
        private Map<String, Role> roleMapping = new LinkedHashMap<>();
        /** The role of a token whose values map to none; unset refuses such a token. */
        private @Nullable Role defaultRole;
        /** Whether an unknown subject becomes a CareChat user on its first valid token (preferred_username, email, name). */
        private boolean provisioning;

        /** @return the issuer, or null to take Spring Security's */
        public @Nullable String getIssuer() {
            return issuer;
        }

        /** @param issuer the issuer */
        public void setIssuer(@Nullable String issuer) {
            this.issuer = issuer;
        }

        /** @return the JWKS URL, or null to take Spring Security's */
        public @Nullable String getJwksUrl() {
            return jwksUrl;
        }

        /** @param jwksUrl the JWKS URL */
        public void setJwksUrl(@Nullable String jwksUrl) {
            this.jwksUrl = jwksUrl;
        }

        /** @return the audiences */
        public List<String> getAudiences() {
            return audiences;
        }

        /** @param audiences the audiences */
        public void setAudiences(List<String> audiences) {
            this.audiences = audiences;
        }

        /** @return the accepted typ values */
        public List<String> getAcceptedTypes() {
            return acceptedTypes;
        }

        /** @param acceptedTypes the accepted typ values */
        public void setAcceptedTypes(List<String> acceptedTypes) {
            this.acceptedTypes = acceptedTypes;
        }

        /** @return the optional claims */
        public List<String> getOptionalClaims() {
            return optionalClaims;
        }

        /** @param optionalClaims the optional claims */
        public void setOptionalClaims(List<String> optionalClaims) {
            this.optionalClaims = optionalClaims;
        }

        /** @return the user id claim */
        public String getUserIdClaim() {
            return userIdClaim;
        }

        /** @param userIdClaim the user id claim */
        public void setUserIdClaim(String userIdClaim) {
            this.userIdClaim = userIdClaim;
        }

        /** @return the role claims */
        public List<String> getRolesClaims() {
            return rolesClaims;
        }

        /** @param rolesClaims the role claims */
        public void setRolesClaims(List<String> rolesClaims) {
            this.rolesClaims = rolesClaims;
        }

        /** @return the role mapping */
        public Map<String, Role> getRoleMapping() {
            return roleMapping;
        }

        /** @param roleMapping the role mapping */
        public void setRoleMapping(Map<String, Role> roleMapping) {
            this.roleMapping = roleMapping;
        }

        /** @return the default role, or null */
        public @Nullable Role getDefaultRole() {
            return defaultRole;
        }

        /** @param defaultRole the default role */
        public void setDefaultRole(@Nullable Role defaultRole) {
            this.defaultRole = defaultRole;
        }

        /** @return whether unknown subjects are provisioned */
        public boolean isProvisioning() {
            return provisioning;
        }

        /** @param provisioning whether unknown subjects are provisioned */
        public void setProvisioning(boolean provisioning) {
            this.provisioning = provisioning;
        }
    }

    /**
     * Where the keys that seal message bodies at rest come from: a key list, a PKCS12 key store,
     * or else the {@code CARECHAT_KEYS} environment variable.
     */
    public static class Encryption {
        /** Keys as kid:BASE64 pairs, comma-separated, the last one current; unset reads CARECHAT_KEYS. */
        private @Nullable String keys;
        /** A PKCS12 key store holding AES keys, instead of keys. */
        private @Nullable Path keyStore;
        /** The key store's password. */
        private @Nullable String keyStorePassword;
        /** The alias of the current key in the key store. */
        private @Nullable String keyStoreCurrentAlias;

        /** @return the key list, or null */
        public @Nullable String getKeys() {
            return keys;
        }

        /** @param keys the key list */
        public void setKeys(@Nullable String keys) {
            this.keys = keys;
        }

        /** @return the key store, or null */
        public @Nullable Path getKeyStore() {
            return keyStore;
        }

        /** @param keyStore the key store */
        public void setKeyStore(@Nullable Path keyStore) {
            this.keyStore = keyStore;
        }

        /** @return the key store password, or null */
        public @Nullable String getKeyStorePassword() {
            return keyStorePassword;
        }

        /** @param keyStorePassword the key store password */
        public void setKeyStorePassword(@Nullable String keyStorePassword) {
            this.keyStorePassword = keyStorePassword;
        }

        /** @return the current key's alias, or null */
        public @Nullable String getKeyStoreCurrentAlias() {
            return keyStoreCurrentAlias;
        }

        /** @param keyStoreCurrentAlias the current key's alias */
        public void setKeyStoreCurrentAlias(@Nullable String keyStoreCurrentAlias) {
            this.keyStoreCurrentAlias = keyStoreCurrentAlias;
        }

        @Override
        public String toString() {
            return "Encryption[keys=" + (keys == null ? "unset" : "set") + ", keyStore=" + keyStore + "]";
        }
    }

    /** Limits on what one user may send; unset values keep CareChat's defaults. */
    public static class Limits {
        /** The longest message body, in characters. */
        private @Nullable Integer maxBodyChars;
        /** Messages one user may send per second, sustained. */
        private @Nullable Integer sendRatePerSecond;
        /** Messages one user may send in a burst. */
        private @Nullable Integer sendBurst;
        /** The most members a group conversation may have. */
        private @Nullable Integer maxGroupMembers;

        /** @return the longest body, or null for the default */
        public @Nullable Integer getMaxBodyChars() {
            return maxBodyChars;
        }

        /** @param maxBodyChars the longest body */
        public void setMaxBodyChars(@Nullable Integer maxBodyChars) {
            this.maxBodyChars = maxBodyChars;
        }

        /** @return the send rate, or null for the default */
        public @Nullable Integer getSendRatePerSecond() {
            return sendRatePerSecond;
        }

        /** @param sendRatePerSecond the send rate */
        public void setSendRatePerSecond(@Nullable Integer sendRatePerSecond) {
            this.sendRatePerSecond = sendRatePerSecond;
        }

        /** @return the send burst, or null for the default */
        public @Nullable Integer getSendBurst() {
            return sendBurst;
        }

        /** @param sendBurst the send burst */
        public void setSendBurst(@Nullable Integer sendBurst) {
            this.sendBurst = sendBurst;
        }

        /** @return the largest group, or null for the default */
        public @Nullable Integer getMaxGroupMembers() {
            return maxGroupMembers;
        }

        /** @param maxGroupMembers the largest group */
        public void setMaxGroupMembers(@Nullable Integer maxGroupMembers) {
            this.maxGroupMembers = maxGroupMembers;
        }
    }

    /** The chat socket on the application's own server. */
    public static class WebSocket {
        /** Whether the chat socket is mounted on the application's servlet container. */
        private boolean enabled = true;
        /** The path of the chat socket. */
        private String path = "/ws";
        /** Origins whose pages may open the socket, exactly as browsers send them; none means only clients without an Origin. */
        private List<String> allowedOrigins = new ArrayList<>();
        /** How long a shutdown waits for open sockets to drain before closing them. */
        private Duration shutdownGrace = Duration.ofSeconds(10);

        /** @return whether the socket is mounted */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the socket is mounted */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the path */
        public String getPath() {
            return path;
        }

        /** @param path the path */
        public void setPath(String path) {
            this.path = path;
        }

        /** @return the allowed origins */
        public List<String> getAllowedOrigins() {
            return allowedOrigins;
        }

        /** @param allowedOrigins the allowed origins */
        public void setAllowedOrigins(List<String> allowedOrigins) {
            this.allowedOrigins = allowedOrigins;
        }

        /** @return the shutdown grace */
        public Duration getShutdownGrace() {
            return shutdownGrace;
        }

        /** @param shutdownGrace the shutdown grace */
        public void setShutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = shutdownGrace;
        }
    }

    /** The real-time hub that serves the sockets. */
    public static class Hub {
        /** Threads that serve socket requests (they call the database). */
        private int workerThreads = 8;
        /** Sockets one user may hold at once. */
        private @Nullable Integer maxSocketsPerUser;

        /** @return the worker threads */
        public int getWorkerThreads() {
            return workerThreads;
        }

        /** @param workerThreads the worker threads */
        public void setWorkerThreads(int workerThreads) {
            this.workerThreads = workerThreads;
        }

        /** @return sockets per user, or null for the default */
        public @Nullable Integer getMaxSocketsPerUser() {
            return maxSocketsPerUser;
        }

        /** @param maxSocketsPerUser sockets per user */
        public void setMaxSocketsPerUser(@Nullable Integer maxSocketsPerUser) {
            this.maxSocketsPerUser = maxSocketsPerUser;
        }
    }

    /**
     * The background jobs (retention, key rotation), each run on one node of the cluster at a time.
     * A job whose interval is not set is not scheduled.
     */
    public static class Jobs {
        /** How long after a retention run ends the next starts; unset: retention does not run. */
        private @Nullable Duration retentionInterval;
        /** Message content older than this is purged by retention (unless held); unset: kept for ever. */
        private @Nullable Duration retentionMaxAge;
        /** How long after a key rotation run ends the next starts; unset: key rotation does not run. */
        private @Nullable Duration keyRotationInterval;
        /** How long a node's claim on a running job lasts without progress before another node takes it over. */
        private Duration lease = Duration.ofMinutes(5);
        /** How often each node looks for due jobs. */
        private Duration pollInterval = Duration.ofSeconds(30);

        /** @return the retention interval, or null */
        public @Nullable Duration getRetentionInterval() {
            return retentionInterval;
        }

        /** @param retentionInterval the retention interval */
        public void setRetentionInterval(@Nullable Duration retentionInterval) {
            this.retentionInterval = retentionInterval;
        }

        /** @return the age after which message content is purged, or null */
        public @Nullable Duration getRetentionMaxAge() {
            return retentionMaxAge;
        }

        /** @param retentionMaxAge the age after which message content is purged */
        public void setRetentionMaxAge(@Nullable Duration retentionMaxAge) {
            this.retentionMaxAge = retentionMaxAge;
        }

        /** @return the key rotation interval, or null */
        public @Nullable Duration getKeyRotationInterval() {
            return keyRotationInterval;
        }

        /** @param keyRotationInterval the key rotation interval */
        public void setKeyRotationInterval(@Nullable Duration keyRotationInterval) {
            this.keyRotationInterval = keyRotationInterval;
        }

        /** @return the lease */
        public Duration getLease() {
            return lease;
        }

        /** @param lease the lease */
        public void setLease(Duration lease) {
            this.lease = lease;
        }

        /** @return the poll interval */
        public Duration getPollInterval() {
            return pollInterval;
        }

        /** @param pollInterval the poll interval */
        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }
    }
}

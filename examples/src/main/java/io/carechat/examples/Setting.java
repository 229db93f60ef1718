package io.carechat.examples;

import java.util.Locale;

/**
 * Every setting of the demo server. Each is read from a command-line flag ({@code --http-port 8080}
 * or {@code --http-port=8080}) or from the environment variable of the same name
 * ({@code CARECHAT_HTTP_PORT}); a flag wins over the environment.
 */
enum Setting {
    HTTP_PORT("8080", "port of the HTTP API, web UI and WebSocket endpoint /ws"),
    WS_PORT("", "a second port for the WebSocket endpoint /ws (Java-WebSocket); empty serves /ws on the HTTP port only"),
    BIND_ADDRESS("127.0.0.1", "address to listen on; 0.0.0.0 listens on every interface"),
    PUBLIC_HOST("localhost", "host name browsers use to reach this server (for the WebSocket URL)"),
    DATA_DIR("./carechat-data", "folder for the embedded database and the generated JWT secret"),
    DB_URL("", "JDBC URL; empty means an embedded H2 file database in the data folder"),
    DB_USER("", "database user"),
    DB_PASSWORD("", "database password"),
    NATS_URL("", "comma-separated NATS servers (nats://host:4222) whose JetStream carries events between the nodes that share the database; empty means PostgreSQL's LISTEN/NOTIFY on PostgreSQL, and one node otherwise"),
    NATS_STREAM("CARECHAT_EVENTS", "JetStream stream (1 to 32 of A-Z a-z 0-9 _ -) of the event bus with CARECHAT_NATS_URL, created if missing; clusters sharing one NATS server each need their own"),
    JWT_SECRET("", "HS256 signing key (UTF-8, at least 32 bytes); empty means generated once and kept in the data folder"),
    IDP_ISSUER("", "issuer (iss) of the hospital's identity provider whose access tokens are accepted too; empty means none"),
    IDP_JWKS_URL("", "JWKS URL of that identity provider (https, or http on a loopback address); fetched and cached, and fetched again when a token names an unknown kid"),
    IDP_AUDIENCE("", "comma-separated audiences (aud) the identity provider's tokens may carry, at least one, such as api://default or an application id"),
    IDP_TOKEN_TYPES("at+jwt,application/at+jwt", "comma-separated typ header values accepted from the identity provider; add JWT for Entra ID and Keycloak, none for Okta (no typ)"),
    IDP_OPTIONAL_CLAIMS("", "claims the identity provider may omit: jti, iat or both (Entra ID sends no jti)"),
    IDP_USER_ID_CLAIM("sub", "claim that holds the CareChat user id, up to 255 characters (oid for Entra ID, uid for Okta)"),
    IDP_ROLES_CLAIM("roles", "comma-separated claims holding roles, each a name or a dotted path such as realm_access.roles (Keycloak) or groups (Okta)"),
    IDP_ROLE_MAP("", "comma-separated value:ROLE pairs mapping role claim values to ADMIN, DOCTOR or PATIENT, such as carechat-doctor:DOCTOR; empty means the values ADMIN, DOCTOR and PATIENT map to themselves"),
    IDP_DEFAULT_ROLE("", "role of a token whose values map to no role (ADMIN, DOCTOR or PATIENT); empty means such a token is refused"),
    IDP_PROVISION_USERS("false", "create the user of an unknown subject on its first valid token (true/false), from preferred_username, email and name, audited as user.provisioned"),
    EXTERNAL_ONLY("false", "issue no tokens and keep no signing key (true/false): users sign in only with the identity provider, and login, refresh and registration answer 403"),
    KEYS("", "message encryption keys as keyId:base64 pairs, comma-separated, newest last; empty means one generated once and kept in the data folder"),
    ADMIN_PASSWORD("", "password of the first admin 'admin'; when empty on an empty database, one is generated and printed once"),
    ALLOWED_ORIGINS("", "comma-separated WebSocket Origin allowlist; empty means this server's own HTTP origin"),
    CORS_ORIGINS("", "comma-separated origins allowed to call the HTTP API from other sites; empty means no CORS"),
    DEMO_DATA("", "seed demo doctors and patients (true/false); default true only for the embedded database"),
    TLS_KEYSTORE("", "PKCS#12 keystore for HTTPS and WSS; empty means plain HTTP"),
    TLS_KEYSTORE_PASSWORD("", "password of the TLS keystore"),
    ACCESS_TOKEN_TTL_SECONDS("900", "lifetime of access tokens"),
    SEND_RATE_PER_SECOND("20", "messages a user may send per second"),
    SEND_BURST("40", "messages a user may send in a burst"),
    MAX_FRAME_BYTES("65536", "largest WebSocket frame payload"),
    MAX_BODY_CHARS("8000", "longest message body in characters"),
    MAX_ATTACHMENT_BYTES("10485760", "largest attachment"),
    SOCKETS_PER_USER("10", "live WebSocket connections per user"),
    IDLE_LOGOFF_SECONDS("0", "close sessions idle this long; 0 turns it off"),
    WORKER_THREADS("64", "threads serving WebSocket requests; each waits for its database commit, so more threads keep more sends in one group commit"),
    REGISTRATIONS_PER_MINUTE("10", "registrations each client address may make per minute; more get 429"),
    TYPING_RATE_PER_SECOND("5", "typing notices a user may send per second (burst twice that)"),
    PRESENCE_RATE_PER_SECOND("2", "presence changes a user may make per second (burst five times that)"),
    HISTORY_RATE_PER_SECOND("20", "history pages a user may read per second, over HTTP and WebSocket together (burst three times that)"),
    UNAUTHENTICATED_REQUESTS_PER_MINUTE("300", "unauthenticated HTTP requests (logins, registrations, refreshes and any request that ends 401) each client address may make per minute; more get 429 with Retry-After"),
    WS_UPGRADES_PER_MINUTE("300", "WebSocket upgrades each client address may make per minute; more get HTTP 429 with Retry-After"),
    UNAUTHENTICATED_SOCKETS_PER_ADDRESS("50", "WebSocket connections one client address may hold open before they authenticate; more are closed with 1008 too_many_unauthenticated"),
    LOGIN_FREE_FAILURES_PER_ACCOUNT_AND_ADDRESS("5", "failed logins to one account from one address before each further attempt must wait"),
    LOGIN_FREE_FAILURES_PER_ACCOUNT("20", "failed logins to one account from all addresses before each further attempt must wait"),
    LOGIN_FREE_FAILURES_PER_ADDRESS("50", "failed logins from one address to all accounts before each further attempt must wait"),
    LOGIN_FIRST_DELAY_SECONDS("1", "the first wait after the free failures; it doubles with every further failure"),
    LOGIN_MAX_DELAY_SECONDS("900", "the longest wait for an address, and for an account from that address"),
    LOGIN_MAX_ACCOUNT_DELAY_SECONDS("60", "the longest wait for an account as a whole, so its owner is not locked out from elsewhere"),
    LOGIN_FAILURE_WINDOW_MINUTES("15", "how long a failed login counts"),
    PRESENCE_LEASE_SECONDS("30", "how long, 3 to 600 seconds, a node's word on who is online stands without renewal (renewed every third of it): the users of a node that dies show offline on the others within about this and a third"),
    AUDIT_REFUSAL_WINDOW_SECONDS("60", "identical refusals (the same bad token from one address, a throttled login) within this many seconds, 1 to 3600, are audited as one event with a count"),
    UNLINKED_UPLOAD_HOURS("24", "attachments uploaded but not sent in a message within this many hours, 1 to 8760, are deleted (checked every 10 minutes), freeing their quota; uploads of a user under legal hold are kept"),
    HTTP_REQUESTS_PER_ADDRESS("16", "HTTP requests one client address may have in progress at once; more get 429"),
    ATTACHMENT_STORAGE_MB("10240", "the most all stored attachments together may take, in MiB; beyond it uploads get 413"),
    HTTP_READ_TIMEOUT_SECONDS("20", "longest time a client may take to send a request's line and headers before the connection is closed (slow clients holding connections)"),
    REFRESH_MAX_DAYS("30", "absolute lifetime of a login's refresh tokens in days, 1 to 365; however often they are refreshed, the user logs in again after it"),
    MAX_CARE_TEAM_MEMBERS("50", "the most members a care team (group conversation) may have besides its creator, 2 to 1000; a doctor creates one with at least 2"),
    RECALL_WINDOW_SECONDS("900", "how long after sending a message its sender may recall it, in seconds, 1 to 604800"),
    FHIR_IDENTIFIER_SYSTEM("urn:carechat:user", "the identifier system (an absolute URI) of user ids in the FHIR exports, so that they match the EHR's Patient and Practitioner identifiers"),
    BREAK_GLASS_MINUTES("60", "how long a doctor's break-glass access to a conversation they are not a member of lasts, 1 to 1440 minutes"),
    BREAK_GLASS_SECONDS("0", "test-only override of BREAK_GLASS_MINUTES, 0 to 86400 seconds: when above 0, break-glass access lasts this many seconds (for tests and demonstrations of its expiry)"),
    ACCESS_LOG_MAX_LIMIT("100", "largest page of a patient's access log, 1 to 1000 entries"),
    NOTIFY_OFFLINE("true", "tell users who are offline that messages wait for them (true/false), through the demo's notifier, which writes a line with counts and a link only to the server log"),
    NOTIFY_AFTER_SECONDS("60", "how long after a message reached an offline user they are notified, 1 to 86400 seconds, if still offline with unread messages then; one notice covers all that arrived meanwhile"),
    NOTIFY_QUIET_SECONDS("900", "the least time between two notices to one user, 0 to 86400 seconds; what arrives meanwhile is told when it ends, if still unread"),
    NOTIFY_LINK_BASE("", "the link offline notices carry (an absolute http or https URL), with /<conversation id> appended when one conversation has unread messages; empty means this server's web UI, <origin>/#/conversations"),
    ESCALATION_SECONDS("600", "how long a patient's urgent message may stay unread by every doctor member before it escalates to the on-call doctors, 1 to 86400 seconds"),
    ESCALATION_SCAN_SECONDS("5", "how often each node looks for urgent messages due for escalation, 1 to 600 seconds (an escalation fires at most this long after it came due)"),
    RETENTION_INTERVAL("P1D", "how long after a retention run ends the next one starts, as an ISO-8601 duration from PT1S to P366D (PT6H, P1D), or 0 to turn retention off; each run is claimed by one node of the cluster"),
    RETENTION_DAYS("0", "message content older than this many days, 1 to 36500, is purged by the retention job unless a legal hold stands; 0 keeps it for ever"),
    KEY_ROTATION_INTERVAL("P1D", "how long after a key rotation run ends the next one starts (re-encrypting what is not under the current key), as an ISO-8601 duration from PT1S to P366D, or 0 to turn it off; each run is claimed by one node of the cluster");

    private final String defaultValue;
    private final String description;

    Setting(String defaultValue, String description) {
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The environment variable, such as {@code CARECHAT_HTTP_PORT}. */
    String envName() {
        return "CARECHAT_" + name();
    }

    /** The command-line flag, such as {@code --http-port}. */
    String flag() {
        return "--" + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    String defaultValue() {
        return defaultValue;
    }

    String description() {
        return description;
    }
}

package io.carechat.examples;

import io.carechat.messaging.audit.FhirCommunicationExporter;
import io.carechat.messaging.auth.LoginThrottle;
import io.carechat.messaging.error.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The demo server's configuration, read from flags and environment variables (see {@link Setting})
 * and checked at once: a bad value stops start-up with a message naming the setting.
 *
 * @param httpPort HTTP port
 * @param wsPort a second port for the Java-WebSocket adapter's {@code /ws}, if set; the HTTP port always
 *     serves {@code /ws} too
 * @param bindAddress address to listen on
 * @param publicHost host name browsers use
 * @param dataDir folder for the embedded database and the generated secret
 * @param dbUrl JDBC URL, empty for the embedded default
 * @param dbUser database user
 * @param dbPassword database password
 * @param natsUrls NATS servers for the event bus between nodes, empty for none
 * @param natsStream the JetStream stream of that bus
 * @param jwtSecret HS256 key text, empty to generate one
 * @param keys message encryption keys, empty to generate one
 * @param adminPassword first admin's password, empty to generate one
 * @param allowedOrigins WebSocket Origin allowlist, empty for this server's own origin
 * @param corsOrigins origins allowed by CORS, empty for none
 * @param demoData whether to seed demo users
 * @param tlsKeystore PKCS#12 keystore, empty for plain HTTP
 * @param tlsKeystorePassword keystore password
 * @param accessTokenTtl access token lifetime
 * @param sendRatePerSecond sends per second per user
 * @param sendBurst send burst per user
 * @param maxFrameBytes largest frame payload
 * @param maxBodyChars longest body
 * @param maxAttachmentBytes largest attachment
 * @param socketsPerUser live sockets per user
 * @param idleLogoff idle time before logoff, zero for off
 * @param workerThreads threads serving WebSocket requests
 * @param registrationsPerMinute registrations each client address may make per minute
 * @param httpReadTimeout longest time a client may take to send a request's line and headers
 * @param refreshMaxAge absolute lifetime of a login's refresh-token family
 * @param externalIdentity the hospital's identity provider, if any, and whether the server is external-only
 * @param abuse the limits that keep one user or address from exhausting the server
 * @param maxCareTeamMembers the most members of a care team besides its creator
 * @param recordKeeping the recall window and the FHIR exports' identifier system
 * @param clinicalAccess how long break-glass access lasts, the access log's largest page, and urgent
 *     escalation's delay and scan
 * @param offlineNotices whether and when offline users are notified, and the link notices carry
 * @param backgroundJobs how often the retention and key rotation jobs run, and the retention age
 */
record ServerConfig(
        int httpPort,
        OptionalInt wsPort,
        String bindAddress,
        String publicHost,
        Path dataDir,
        String dbUrl,
        String dbUser,
        String dbPassword,
        List<String> natsUrls,
        String natsStream,
        String jwtSecret,
        String keys,
        String adminPassword,
        List<String> allowedOrigins,
        List<String> corsOrigins,
        boolean demoData,
        Optional<Path> tlsKeystore,
        String tlsKeystorePassword,
        Duration accessTokenTtl,
        int sendRatePerSecond,
        int sendBurst,
        int maxFrameBytes,
        int maxBodyChars,
        long maxAttachmentBytes,
        int socketsPerUser,
        Duration idleLogoff,
        int workerThreads,
        int registrationsPerMinute,
        Duration httpReadTimeout,
        Duration refreshMaxAge,
        ExternalIdentity externalIdentity,
        Duration presenceLease,
        AbuseLimits abuse,
        int maxCareTeamMembers,
        RecordKeeping recordKeeping,
        ClinicalAccess clinicalAccess,
        OfflineNotices offlineNotices,
        BackgroundJobs backgroundJobs) {

    /** Thrown when a setting has a bad value; the message names the setting. */
    static final class InvalidSettingException extends RuntimeException {
        InvalidSettingException(List<String> problems) {
            super(String.join(System.lineSeparator(), problems));
        }
    }

    /** Leaves out every password and secret. */
    @Override
    public String toString() {
        return "ServerConfig[httpPort=" + httpPort + ", wsPort=" + wsPort + ", bindAddress=" + bindAddress
                + ", embeddedDatabase=" + embeddedDatabase() + ", tls=" + tls() + "]";
    }

    /** Whether the database is the embedded default. */
    boolean embeddedDatabase() {
        return dbUrl.isEmpty();
    }

    /** Whether HTTPS and WSS are on. */
    boolean tls() {
        return tlsKeystore.isPresent();
    }

    /**
     * The JDBC URL to use: the configured one, or an H2 file in the data folder. The embedded one
     * sets {@code WRITE_DELAY=0}: H2 then writes every commit to its file before the commit
     * returns, so a {@code sent} acknowledgement survives the process being killed. H2's default
     * (500 ms) lets a commit return while it is only in memory, and a crash loses it.
     */
    String jdbcUrl() {
        if (!embeddedDatabase()) {
            return dbUrl;
        }
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("carechat") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    /** The address browsers open. */
    String httpOrigin() {
        return (tls() ? "https://" : "http://") + publicHost + ":" + httpPort;
    }

    /**
     * The WebSocket URL the web UI connects to: {@code /ws} on the HTTP port, or on the separate
     * socket port when {@code CARECHAT_WS_PORT} is set.
     */
    String wsUrl() {
        return (tls() ? "wss://" : "ws://") + publicHost + ":" + wsPort.orElse(httpPort) + "/ws";
    }

    /** The Origins accepted on the WebSocket upgrade. */
    List<String> effectiveAllowedOrigins() {
        if (!allowedOrigins.isEmpty()) {
            return allowedOrigins;
        }
        String scheme = tls() ? "https://" : "http://";
        return List.of(scheme + "localhost:" + httpPort, scheme + "127.0.0.1:" + httpPort, httpOrigin())
                .stream().distinct().toList();
    }

    /**
     * Reads the configuration.
     *
     * @param args command-line flags
     * @param env the environment
     * @return the configuration
     * @throws InvalidSettingException naming every bad setting
     */
    static ServerConfig parse(String[] args, Map<String, String> env) {
        Map<Setting, String> raw = new EnumMap<>(Setting.class);
        List<String> problems = new ArrayList<>();
        for (Setting s : Setting.values()) {
            String fromEnv = env.get(s.envName());
            raw.put(s, fromEnv != null ? fromEnv.trim() : s.defaultValue());
        }
        readFlags(args, raw, problems);
        Reader r = new Reader(raw, problems);
        String dbUrl = raw.get(Setting.DB_URL);
        String demo = raw.get(Setting.DEMO_DATA);
        boolean demoData = demo.isEmpty() ? dbUrl.isEmpty() : r.bool(Setting.DEMO_DATA);
        String jwtSecret = raw.get(Setting.JWT_SECRET);
        if (!jwtSecret.isEmpty() && jwtSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            problems.add(Setting.JWT_SECRET.envName() + " must be at least 32 bytes of UTF-8 (256 bits)");
        }
        String keystore = raw.get(Setting.TLS_KEYSTORE);
        ServerConfig config = new ServerConfig(
                r.port(Setting.HTTP_PORT),
                r.optionalPort(Setting.WS_PORT),
                r.nonEmpty(Setting.BIND_ADDRESS),
                r.nonEmpty(Setting.PUBLIC_HOST),
                Path.of(r.nonEmpty(Setting.DATA_DIR)),
                dbUrl,
                raw.get(Setting.DB_USER),
                raw.get(Setting.DB_PASSWORD),
                natsUrls(r.list(Setting.NATS_URL), dbUrl, problems),
                natsStream(raw.get(Setting.NATS_STREAM), problems),
                jwtSecret,
                raw.get(Setting.KEYS),
                raw.get(Setting.ADMIN_PASSWORD),
                r.list(Setting.ALLOWED_ORIGINS),
                r.list(Setting.CORS_ORIGINS),
                demoData,
                keystore.isEmpty() ? Optional.empty() : Optional.of(Path.of(keystore)),
                raw.get(Setting.TLS_KEYSTORE_PASSWORD),
                Duration.ofSeconds(r.integer(Setting.ACCESS_TOKEN_TTL_SECONDS, 30, 86_400)),
                r.integer(Setting.SEND_RATE_PER_SECOND, 1, 10_000),
                r.integer(Setting.SEND_BURST, 1, 100_000),
                r.integer(Setting.MAX_FRAME_BYTES, 1_024, 16 * 1024 * 1024),
                r.integer(Setting.MAX_BODY_CHARS, 1, 1_000_000),
                r.integer(Setting.MAX_ATTACHMENT_BYTES, 1, 1024 * 1024 * 1024),
                r.integer(Setting.SOCKETS_PER_USER, 1, 1_000),
                Duration.ofSeconds(r.integer(Setting.IDLE_LOGOFF_SECONDS, 0, 86_400)),
                r.integer(Setting.WORKER_THREADS, 1, 4_096),
                r.integer(Setting.REGISTRATIONS_PER_MINUTE, 1, 10_000),
                Duration.ofSeconds(r.integer(Setting.HTTP_READ_TIMEOUT_SECONDS, 1, 3_600)),
                Duration.ofDays(r.integer(Setting.REFRESH_MAX_DAYS, 1, 365)),
                externalIdentity(r, raw),
                Duration.ofSeconds(r.integer(Setting.PRESENCE_LEASE_SECONDS, 3, 600)),
                new AbuseLimits(r.integer(Setting.TYPING_RATE_PER_SECOND, 1, 10_000),
                        r.integer(Setting.PRESENCE_RATE_PER_SECOND, 1, 10_000),
                        r.integer(Setting.HISTORY_RATE_PER_SECOND, 1, 10_000),
                        r.integer(Setting.HTTP_REQUESTS_PER_ADDRESS, 1, 1_000),
                        r.integer(Setting.ATTACHMENT_STORAGE_MB, 100, 100_000_000) * 1024L * 1024L,
                        r.integer(Setting.UNAUTHENTICATED_REQUESTS_PER_MINUTE, 1, 100_000),
                        r.integer(Setting.WS_UPGRADES_PER_MINUTE, 1, 100_000),
                        r.integer(Setting.UNAUTHENTICATED_SOCKETS_PER_ADDRESS, 1, 10_000),
                        loginThrottle(r, problems),
                        Duration.ofSeconds(r.integer(Setting.AUDIT_REFUSAL_WINDOW_SECONDS, 1, 3_600)),
                        Duration.ofHours(r.integer(Setting.UNLINKED_UPLOAD_HOURS, 1, 8_760))),
                r.integer(Setting.MAX_CARE_TEAM_MEMBERS, 2, 1_000),
                new RecordKeeping(Duration.ofSeconds(r.integer(Setting.RECALL_WINDOW_SECONDS, 1, 604_800)),
                        fhirSystem(raw.get(Setting.FHIR_IDENTIFIER_SYSTEM), problems)),
                new ClinicalAccess(ClinicalAccess.breakGlass(r.integer(Setting.BREAK_GLASS_MINUTES, 1, 1_440),
                        r.integer(Setting.BREAK_GLASS_SECONDS, 0, 86_400)),
                        r.integer(Setting.ACCESS_LOG_MAX_LIMIT, 1, 1_000),
                        Duration.ofSeconds(r.integer(Setting.ESCALATION_SECONDS, 1, 86_400)),
                        Duration.ofSeconds(r.integer(Setting.ESCALATION_SCAN_SECONDS, 1, 600))),
                offlineNotices(r, raw, problems),
                new BackgroundJobs(
                        BackgroundJobs.interval(Setting.RETENTION_INTERVAL, raw.get(Setting.RETENTION_INTERVAL), problems),
                        BackgroundJobs.interval(Setting.KEY_ROTATION_INTERVAL, raw.get(Setting.KEY_ROTATION_INTERVAL),
                                problems),
                        retentionAge(r.integer(Setting.RETENTION_DAYS, 0, 36_500))));
        if (config.wsPort().isPresent() && config.httpPort() == config.wsPort().getAsInt() && config.httpPort() != 0) {
            problems.add(Setting.WS_PORT.envName() + " must differ from " + Setting.HTTP_PORT.envName());
        }
        if (config.tls() && config.tlsKeystorePassword().isEmpty()) {
            problems.add(Setting.TLS_KEYSTORE_PASSWORD.envName() + " is required with " + Setting.TLS_KEYSTORE.envName());
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingException(problems);
        }
        return config;
    }

    private static void readFlags(String[] args, Map<Setting, String> raw, List<String> problems) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            String flagName = name;
            Optional<Setting> setting = Arrays.stream(Setting.values())
                    .filter(s -> s.flag().equals(flagName))
                    .findFirst();
            if (setting.isEmpty()) {
                problems.add("unknown option " + name + " (see --help)");
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    problems.add(name + " needs a value");
                    continue;
                }
                value = args[++i];
            }
            raw.put(setting.get(), value.trim());
        }
    }

    private static String natsStream(String stream, List<String> problems) {
        if (!stream.matches("[A-Za-z0-9_-]{1,32}")) {
            problems.add(Setting.NATS_STREAM.envName() + " must be 1 to 32 of A-Z a-z 0-9 _ -");
        }
        return stream;
    }

    /** NATS servers, each a nats:// or tls:// URL; they link nodes, so they need a shared database. */
    private static List<String> natsUrls(List<String> urls, String dbUrl, List<String> problems) {
        for (String url : urls) {
            if (!url.startsWith("nats://") && !url.startsWith("tls://")) {
                problems.add(Setting.NATS_URL.envName() + " must list nats:// or tls:// URLs");
                return List.of();
            }
        }
        if (!urls.isEmpty() && dbUrl.isEmpty()) {
            problems.add(Setting.NATS_URL.envName() + " links nodes that share a database: set "
                    + Setting.DB_URL.envName() + " too");
        }
        return urls;
    }

    /** The offline notification settings; the link defaults to this server's web UI. */
    private static Optional<Duration> retentionAge(int days) {
        return days == 0 ? Optional.empty() : Optional.of(Duration.ofDays(days));
    }

    private static OfflineNotices offlineNotices(Reader r, Map<Setting, String> raw, List<String> problems) {
        String link = raw.get(Setting.NOTIFY_LINK_BASE);
        if (link.isEmpty()) {
            boolean tls = !raw.get(Setting.TLS_KEYSTORE).isEmpty();
            link = (tls ? "https://" : "http://") + raw.get(Setting.PUBLIC_HOST) + ":" + raw.get(Setting.HTTP_PORT)
                    + OfflineNotices.UI_PATH;
        }
        return OfflineNotices.of(r.bool(Setting.NOTIFY_OFFLINE),
                Duration.ofSeconds(r.integer(Setting.NOTIFY_AFTER_SECONDS, 1, 86_400)),
                Duration.ofSeconds(r.integer(Setting.NOTIFY_QUIET_SECONDS, 0, 86_400)), link, problems);
    }

    /** The hospital identity provider's settings, checked and built. */
    private static ExternalIdentity externalIdentity(Reader r, Map<Setting, String> raw) {
        return ExternalIdentity.of(new ExternalIdentity.Values(raw.get(Setting.IDP_ISSUER), raw.get(Setting.IDP_JWKS_URL),
                r.list(Setting.IDP_AUDIENCE), r.list(Setting.IDP_TOKEN_TYPES), r.list(Setting.IDP_OPTIONAL_CLAIMS),
                r.nonEmpty(Setting.IDP_USER_ID_CLAIM), r.list(Setting.IDP_ROLES_CLAIM), r.list(Setting.IDP_ROLE_MAP),
                raw.get(Setting.IDP_DEFAULT_ROLE), r.bool(Setting.IDP_PROVISION_USERS), r.bool(Setting.EXTERNAL_ONLY)),
                r.problems());
    }

    /** The FHIR exports' identifier system; one that is not an absolute URI is a problem. */
    private static String fhirSystem(String value, List<String> problems) {
        try {
            return FhirCommunicationExporter.checkSystem(value);
        } catch (IllegalArgumentException e) {
            problems.add(Setting.FHIR_IDENTIFIER_SYSTEM.envName() + " must be an absolute URI, such as urn:carechat:user");
            return FhirCommunicationExporter.DEFAULT_USER_SYSTEM;
        }
    }

    /** The login throttle's limits from their settings; limits that do not fit together are problems. */
    private static LoginThrottle.Settings loginThrottle(Reader r, List<String> problems) {
        try {
            return new LoginThrottle.Settings(
                    r.integer(Setting.LOGIN_FREE_FAILURES_PER_ACCOUNT_AND_ADDRESS, 1, 1_000),
                    r.integer(Setting.LOGIN_FREE_FAILURES_PER_ACCOUNT, 1, 100_000),
                    r.integer(Setting.LOGIN_FREE_FAILURES_PER_ADDRESS, 1, 100_000),
                    Duration.ofSeconds(r.integer(Setting.LOGIN_FIRST_DELAY_SECONDS, 1, 3_600)),
                    Duration.ofSeconds(r.integer(Setting.LOGIN_MAX_DELAY_SECONDS, 1, 86_400)),
                    Duration.ofSeconds(r.integer(Setting.LOGIN_MAX_ACCOUNT_DELAY_SECONDS, 1, 86_400)),
                    Duration.ofMinutes(r.integer(Setting.LOGIN_FAILURE_WINDOW_MINUTES, 1, 10_080)));
        } catch (ConfigurationException e) {
            problems.add("the LOGIN_ settings do not fit together: " + String.join("; ", e.problems()));
            return LoginThrottle.Settings.defaults();
        }
    }

    /** Reads typed values, collecting problems instead of stopping at the first. */
    private record Reader(Map<Setting, String> raw, List<String> problems) {

        int port(Setting s) {
            return integer(s, 0, 65_535);
        }

        OptionalInt optionalPort(Setting s) {
            return raw.get(s).isEmpty() ? OptionalInt.empty() : OptionalInt.of(port(s));
        }

        int integer(Setting s, int min, int max) {
            String text = raw.get(s);
            try {
                long value = Long.parseLong(text);
                if (value < min || value > max) {
                    problems.add(s.envName() + " must be between " + min + " and " + max + ", was " + text);
                    return min;
                }
                return (int) value;
            } catch (NumberFormatException e) {
                problems.add(s.envName() + " must be a whole number, was '" + text + "'");
                return min;
            }
        }

        boolean bool(Setting s) {
            String text = raw.get(s).toLowerCase(Locale.ROOT);
            if (text.equals("true") || text.equals("false")) {
                return Boolean.parseBoolean(text);
            }
            problems.add(s.envName() + " must be true or false, was '" + raw.get(s) + "'");
            return false;
        }

        String nonEmpty(Setting s) {
            String text = raw.get(s);
            if (text.isEmpty()) {
                problems.add(s.envName() + " must not be empty");
                return s.defaultValue();
            }
            return text;
        }

        List<String> list(Setting s) {
            String text = raw.get(s);
            if (text.isEmpty()) {
                return List.of();
            }
            return Arrays.stream(text.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        }
    }

    /**
     * The text {@code --help} prints: every setting with its flag, variable and default.
     *
     * @return the help text
     */
    static String help() {
        StringBuilder out = new StringBuilder("CareChat demo server\n\nUsage: java -jar carechat-demo.jar [options]\n\n"
                + "Each option can also be set by the environment variable shown.\n\n");
        for (Setting s : Setting.values()) {
            out.append(String.format(Locale.ROOT, "  %-28s %-36s %s%s%n", s.flag() + " VALUE", s.envName(),
                    s.description(), s.defaultValue().isEmpty() ? "" : " (default " + s.defaultValue() + ")"));
        }
        return out.toString();
    }
}

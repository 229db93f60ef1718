package io.carechat.messaging;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.audit.AuditRecorder;
import io.carechat.messaging.audit.FhirAuditExporter;
import io.carechat.messaging.audit.FhirCommunicationExporter;
import io.carechat.messaging.audit.RefusalAggregator;
import io.carechat.messaging.auth.AccessTokens;
import io.carechat.messaging.auth.Accounts;
import io.carechat.messaging.auth.LoginThrottle;
import io.carechat.messaging.auth.PasswordHasher;
import io.carechat.messaging.auth.PasswordPolicy;
import io.carechat.messaging.auth.TokenRevocations;
import io.carechat.messaging.auth.TokenSettings;
import io.carechat.messaging.crypto.FieldCipher;
import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.error.IntegrityException;
import io.carechat.messaging.error.MessagingException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.error.RateLimitedException;
import io.carechat.messaging.error.TooLargeException;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.error.UnsupportedMediaTypeException;
import io.carechat.messaging.internal.ActiveCallers;
import io.carechat.messaging.internal.ActiveUsers;
import io.carechat.messaging.internal.AccessLogService;
import io.carechat.messaging.internal.AttachmentService;
import io.carechat.messaging.internal.AuditAdmin;
import io.carechat.messaging.internal.Auditor;
import io.carechat.messaging.internal.CareTeamService;
import io.carechat.messaging.internal.BreakGlassGrants;
import io.carechat.messaging.internal.BreakGlassService;
import io.carechat.messaging.internal.ContactService;
import io.carechat.messaging.internal.ConversationService;
import io.carechat.messaging.internal.EscalationService;
import io.carechat.messaging.internal.EventRelay;
import io.carechat.messaging.internal.FhirExportService;
import io.carechat.messaging.internal.MemberDirectory;
import io.carechat.messaging.internal.Membership;
import io.carechat.messaging.internal.MessageCipher;
import io.carechat.messaging.internal.MessageService;
import io.carechat.messaging.internal.OfflineNotifications;
import io.carechat.messaging.internal.PresenceRegistry;
import io.carechat.messaging.event.PresenceChanged;
import io.carechat.messaging.internal.ReceiptService;
import io.carechat.messaging.internal.RecallService;
import io.carechat.messaging.internal.SealedRoleRequestStore;
import io.carechat.messaging.internal.SentMessages;
import io.carechat.messaging.internal.UserRateLimiter;
import io.carechat.messaging.internal.UserRoles;
import io.carechat.messaging.model.AccessLogPage;
import io.carechat.messaging.model.AttachmentDownload;
import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.BreakGlassAccess;
import io.carechat.messaging.model.BreakGlassGrant;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Contact;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationMember;
import io.carechat.messaging.model.ConversationOverview;
import io.carechat.messaging.model.HistoryPage;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessagingLimits;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.UnreadCounts;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.notify.NotificationSettings;
import io.carechat.messaging.metrics.MessagingMetrics;
import io.carechat.messaging.metrics.MicrometerMetrics;
import io.carechat.messaging.notify.NotificationStats;
import io.carechat.messaging.spi.AccessPolicy;
import io.carechat.messaging.spi.AttachmentStore;
import io.carechat.messaging.spi.AuditQuery;
import io.carechat.messaging.spi.AuditRecord;
import io.carechat.messaging.spi.AuditSink;
import io.carechat.messaging.spi.AuditTrail;
import io.carechat.messaging.spi.ChainVerification;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.spi.KeyProvider;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.spi.Notifier;
import io.carechat.messaging.spi.OfflineNotice;
import io.carechat.messaging.spi.RefreshTokenStore;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CareChat's facade: the one object an embedding application holds. Every operation takes the
 * {@link Caller} it acts for, checks what the caller may do against stored membership and the
 * {@link AccessPolicy}, and throws a {@link MessagingException} subtype naming what failed.
 *
 * <p>A caller's token is trusted for who they are, not for whether their account is still in use:
 * every operation on the caller's behalf, reads included ({@link #send}, {@link #markDelivered},
 * {@link #markRead}, {@link #typing}, {@link #setPresence}, {@link #openDirect}, {@link #history},
 * {@link #backlog}, {@link #unread}, {@link #conversations}, {@link #members}, {@link #contacts},
 * the care-team operations {@link #createGroup}, {@link #addMember} and {@link #removeMember},
 * and the attachments), is refused with {@link ForbiddenException} when the caller's account is
 * disabled or gone, even while their access token has not expired. To keep that cheap, the facade
 * remembers for 30 seconds that a user was found enabled, and forgets it at once when
 * {@link io.carechat.messaging.event.SessionsRevoked} for the user arrives on the bus, as it does
 * when {@code accounts().disable(...)} disables them on any node. An account disabled directly in
 * the store, without that event, is refused at the latest 30 seconds later. The tokens themselves
 * are refused earlier still, by {@link #tokens()}, as soon as their user logs out, is disabled or
 * has their roles changed.
 *
 * <p>Each user has one budget per kind of request, whatever transport the request came through:
 * {@link #send} and {@link #sendAsync} together, {@link #typing}, {@link #setPresence} and
 * {@link #history} (see {@link MessagingLimits#sendRate()} and the rates beside it). A request
 * beyond its budget is refused with {@link RateLimitedException} before anything else is checked
 * or stored.
 *
 * <p>Thread-safe: one instance serves every thread of the application. Lifecycle: build it once
 * with {@link #builder()}, and {@link #close()} it on shutdown, before closing the storage and
 * the event bus it was given (it does not own them).
 */
public final class Messaging implements AutoCloseable {
    private static final String SEND_OK = "ok";

    private static final Logger LOG = LoggerFactory.getLogger(Messaging.class);
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final EventBus eventBus;
    private final Clock clock;
    private final MessagingLimits limits;
    private final ConversationService conversations;
    private final CareTeamService careTeams;
    private final MessageService messages;
    private final ReceiptService receipts;
    private final ContactService contacts;
    private final MemberDirectory memberDirectory;
    private final Membership membership;
    private final ActiveCallers activeCallers;
    private final UserRoles userRoles;
    private final PresenceRegistry presence;
    private final AuditAdmin auditAdmin;
    private final AttachmentService attachments;
    private final EventRelay relay;
    private final RecallService recalls;
    private final FhirExportService fhirExport;
    private final Duration recallWindow;
    private final UserRateLimiter sendRate;
    private final UserRateLimiter typingRate;
    private final UserRateLimiter presenceRate;
    private final UserRateLimiter historyRate;
    private final Set<EventBus.Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final @Nullable TokenRevocations revocations;
    private final @Nullable AccessTokens accessTokens;
    private final @Nullable Accounts accounts;
    private final @Nullable RefusalAggregator refusals;
    private final @Nullable ScheduledFuture<?> refusalFlush;
    private final String nodeId;
    private final @Nullable ScheduledFuture<?> presenceRefresh;
    private final BreakGlassGrants breakGlassGrants;
    private final BreakGlassService breakGlass;
    private final AccessLogService accessLog;
    private final OfflineNotifications offlineNotifications;
    private final @Nullable ScheduledFuture<?> notificationCheck;
    private final EscalationService escalations;
    private final @Nullable ScheduledFuture<?> escalationScan;
    private final MessagingMetrics metrics;

    private Messaging(Builder builder) {
        MessagingStorage storage = requireNonNull(builder.storage);
        AccessPolicy accessPolicy = builder.accessPolicy;
        this.eventBus = requireNonNull(builder.eventBus);
        this.clock = builder.clock;
        this.limits = builder.limits;
        this.metrics = builder.metrics;
        this.membership = new Membership(storage.conversations(), eventBus);
        this.memberDirectory = new MemberDirectory(storage.users());
        ActiveUsers users = new ActiveUsers(storage.users());
        this.userRoles = new UserRoles(storage.users(), eventBus);
        this.refusals = builder.refusalWindow == null ? null
                : new RefusalAggregator(requireNonNull(builder.auditSink), clock, builder.refusalWindow);
        AuditRecorder recorder = new AuditRecorder(requireNonNull(builder.auditSink), clock, refusals);
        this.breakGlassGrants = new BreakGlassGrants(storage.breakGlass(), clock, eventBus);
        Auditor auditor = new Auditor(recorder, membership, userRoles, breakGlassGrants);
        this.conversations = new ConversationService(storage.conversations(), users, accessPolicy,
                membership, eventBus, clock, limits.maxConversations(), auditor);
        this.careTeams = new CareTeamService(storage.conversations(), users, accessPolicy, membership,
                memberDirectory, userRoles, eventBus, clock, limits.maxGroupMembers(), auditor);
        FieldCipher fieldCipher = new FieldCipher(requireNonNull(builder.keyProvider));
        MessageCipher cipher = new MessageCipher(fieldCipher, auditor);
        this.attachments = new AttachmentService(builder.attachmentStore, fieldCipher, membership, auditor, clock,
                storage.messages(),
                builder.maxAttachmentBytes, builder.attachmentQuotaBytes, builder.attachmentStorageBytes);
        SentMessages sent = new SentMessages();
        this.nodeId = builder.nodeId;
        this.presence = builder.presenceLease == null ? PresenceRegistry.onBus(eventBus, nodeId, clock)
                : PresenceRegistry.leased(eventBus, nodeId, clock, storage.presence(), builder.presenceLease,
                        this::handOnRefreshedPresence);
        this.offlineNotifications = builder.newOfflineNotifications(storage, presence);
        this.escalations = new EscalationService(storage.escalations(), storage.conversations(), storage.users(),
                users, userRoles, membership, memberDirectory, auditor, eventBus, clock, builder.nodeId,
                builder.escalationDelay, builder.escalationLease(), builder.metrics);
        this.messages = new MessageService(storage.messages(), eventBus, clock, limits, auditor, cipher,
                attachments, sent, membership, offlineNotifications, escalations);
        this.receipts = new ReceiptService(storage.receipts(), membership, eventBus, auditor);
        this.auditAdmin = new AuditAdmin(requireNonNull(builder.auditSink), users, auditor,
                new FhirAuditExporter(builder.fhirUserSystem));
        this.recallWindow = builder.recallWindow;
        this.recalls = new RecallService(storage.messages(), eventBus, clock, auditor, fieldCipher,
                builder.recallWindow, limits.maxBodyChars());
        this.fhirExport = new FhirExportService(storage.messages(), cipher, auditor, userRoles,
                new FhirCommunicationExporter(builder.fhirUserSystem), clock, builder.fhirExportLimit);
        this.breakGlass = new BreakGlassService(storage.breakGlass(), breakGlassGrants, storage.conversations(),
                membership, memberDirectory, users, accessPolicy, auditor, fieldCipher, eventBus, clock,
                builder.breakGlassDuration);
        this.accessLog = new AccessLogService(requireNonNull(builder.auditSink), users, storage.users(), accessPolicy,
                auditor, builder.accessLogMaxLimit);
        this.activeCallers = new ActiveCallers(storage.users(), eventBus, clock);
        this.contacts = new ContactService(
                storage.users(), users, accessPolicy, presence, limits.maxContacts());
        this.relay = new EventRelay(eventBus, storage.messages(), cipher, sent);
        this.sendRate = new UserRateLimiter("send", clock, limits.sendRate(), metrics);
        this.typingRate = new UserRateLimiter("typing", clock, limits.typingRate(), metrics);
        this.presenceRate = new UserRateLimiter("presence", clock, limits.presenceRate(), metrics);
        this.historyRate = new UserRateLimiter("history", clock, limits.historyRate(), metrics);
        this.revocations = builder.tokenSettings == null ? null : TokenRevocations.create(storage.users(), eventBus);
        this.accessTokens = builder.newAccessTokens(revocations, refusals);
        this.accounts = builder.newAccounts(accessTokens, refusals);
        this.refusalFlush = refusals == null ? null : scheduleFlush(refusals, requireNonNull(builder.refusalTimer));
        this.presenceRefresh = builder.presenceLease == null ? null
                : schedulePresenceRefresh(presence, requireNonNull(builder.presenceTimer));
        this.notificationCheck = builder.notificationSettings == null ? null
                : scheduleNotificationCheck(offlineNotifications, builder.notificationSettings,
                        requireNonNull(builder.notificationTimer));
        this.escalationScan = builder.escalationDelay == null ? null
                : scheduleEscalationScan(escalations::escalateDue, requireNonNull(builder.escalationInterval),
                        requireNonNull(builder.escalationTimer));
        metrics.watchNotifications(offlineNotifications::stats);
        LOG.info("CareChat messaging started with access policy {}", accessPolicy.getClass().getName());
    }

    /** Escalates due urgent messages: every scan interval, the first one interval after start. */
    private static ScheduledFuture<?> scheduleEscalationScan(Runnable scan, Duration interval,
            ScheduledExecutorService timer) {
        long period = interval.toMillis();
        return timer.scheduleWithFixedDelay(() -> {
            try {
                scan.run();
            } catch (RuntimeException e) {
                LOG.warn("escalating urgent messages failed ({})", e.getClass().getName());
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** Keeps this node's presence lease and takes the cluster's: at once, then every third of the lease. */
    private static ScheduledFuture<?> schedulePresenceRefresh(PresenceRegistry presence, ScheduledExecutorService timer) {
        long period = presence.refreshInterval().toMillis();
        return timer.scheduleWithFixedDelay(() -> {
            try {
                presence.refresh();
            } catch (RuntimeException e) {
                LOG.warn("refreshing cluster presence failed ({})", e.getClass().getName());
            }
        }, 0, period, TimeUnit.MILLISECONDS);
    }

    /** Writes arrivals for offline users and decides due notices, every check interval. */
    private static ScheduledFuture<?> scheduleNotificationCheck(OfflineNotifications offline,
            NotificationSettings settings, ScheduledExecutorService timer) {
        long period = settings.checkInterval().toMillis();
        return timer.scheduleWithFixedDelay(() -> {
            try {
                offline.check();
            } catch (RuntimeException e) {
                LOG.warn("checking offline notifications failed ({})", e.getClass().getName());
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** Hands a presence change found by a lease refresh to this facade's subscribers. */
    private void handOnRefreshedPresence(PresenceChanged change) {
        if (!closed.get()) {
            relay.handOnLocally(change);
        }
    }

    /** Ends windows of aggregated refusals as they run out: checked every second, or every window when shorter. */
    private static ScheduledFuture<?> scheduleFlush(RefusalAggregator refusals, ScheduledExecutorService timer) {
        long period = Math.max(1, Math.min(1_000, refusals.window().toMillis()));
        return timer.scheduleWithFixedDelay(refusals::flushDue, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts configuring a facade.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures and builds {@link Messaging}. Not thread-safe; use from one thread. */
    public static final class Builder {
        private @Nullable MessagingStorage storage;
        private @Nullable EventBus eventBus;
        private AccessPolicy accessPolicy = DefaultAccessPolicy.INSTANCE;
        private Clock clock = Clock.systemUTC();
        private MessagingLimits limits = MessagingLimits.defaults();
        private @Nullable TokenSettings tokenSettings;
        private @Nullable RefreshTokenStore refreshTokens;
        private @Nullable AuditSink auditSink;
        private @Nullable KeyProvider keyProvider;
        private @Nullable AttachmentStore attachmentStore;
        private long maxAttachmentBytes = 10L * 1024 * 1024;
        private long attachmentQuotaBytes = 100L * 1024 * 1024;
        private long attachmentStorageBytes = 10L * 1024 * 1024 * 1024;
        private @Nullable PasswordHasher passwordHasher;
        private PasswordPolicy passwordPolicy = PasswordPolicy.defaults();
        private LoginThrottle.Settings loginThrottle = LoginThrottle.Settings.defaults();
        private @Nullable Duration refusalWindow;
        private @Nullable ScheduledExecutorService refusalTimer;
        private String nodeId = UUID.randomUUID().toString();
        private @Nullable Duration presenceLease;
        private @Nullable ScheduledExecutorService presenceTimer;
        private Duration recallWindow = Duration.ofMinutes(15);
        private String fhirUserSystem = FhirCommunicationExporter.DEFAULT_USER_SYSTEM;
        private int fhirExportLimit = 10_000;
        private Duration breakGlassDuration = Duration.ofMinutes(60);
        private int accessLogMaxLimit = 100;
        private @Nullable Notifier notifier;
        private @Nullable NotificationSettings notificationSettings;
        private @Nullable ScheduledExecutorService notificationTimer;
        private @Nullable Executor notifierCalls;
        private @Nullable Duration escalationDelay;
        private @Nullable Duration escalationInterval;
        private @Nullable ScheduledExecutorService escalationTimer;
        private MessagingMetrics metrics = MessagingMetrics.NONE;

        private Builder() {}

        /**
         * Records CareChat's meters (sends, ack latency, fan-out, rate-limit refusals, token
         * rejections, sockets, escalations, notifications; {@code docs/operations.md} lists them)
         * on a Micrometer registry. The hub built on this facade records on it too. Micrometer is
         * an optional dependency: without this call none of its classes is loaded. Default: no
         * meters.
         *
         * @param registry the application's registry
         * @return this builder
         */
        public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
            this.metrics = new MicrometerMetrics(requireNonNull(registry, "registry"));
            return this;
        }

        /**
         * Reports what {@link #meterRegistry} would record to another metrics backend. Default:
         * {@link MessagingMetrics#NONE}.
         *
         * @param value the hooks
         * @return this builder
         */
        public Builder metrics(MessagingMetrics value) {
            this.metrics = requireNonNull(value, "metrics");
            return this;
        }

        /**
         * Sets how long after sending a message its sender may recall it (default 15 minutes, the
         * contract's; at least 1 second).
         *
         * @param value the window
         * @return this builder
         */
        public Builder recallWindow(Duration value) {
            this.recallWindow = requireNonNull(value, "recallWindow");
            return this;
        }

        /**
         * Sets the identifier system of user ids in the FHIR exports (Communication senders and
         * recipients, AuditEvent agents and patients), so that they resolve to the EHR's own
         * Patient and Practitioner records. Default
         * {@value FhirCommunicationExporter#DEFAULT_USER_SYSTEM}.
         *
         * @param value an absolute URI
         * @return this builder
         */
        public Builder fhirIdentifierSystem(String value) {
            this.fhirUserSystem = requireNonNull(value, "fhirIdentifierSystem");
            return this;
        }

        /**
         * Sets the most messages one FHIR Communication export holds (default 10,000); a larger
         * export is refused as too large.
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder fhirExportLimit(int value) {
            this.fhirExportLimit = value;
            return this;
        }

        /**
         * Escalates a patient's urgent message that no doctor member read within {@code delay} to
         * the doctors on call ({@link Messaging#replaceOnCall}): each gets a {@code notice} of kind
         * {@code escalation} and becomes a member of the conversation from that message on, once,
         * however many nodes run. The due time is stored with the message, in the same
         * transaction, by the storage's message store; every node that sets this scans the
         * storage's {@link MessagingStorage#escalations()} every {@code scanInterval} and claims
         * each due escalation before handling it, so it survives a restart and fires once in a
         * cluster. A claim lasts the larger of one minute and four scan intervals; a node that dies
         * while handling one leaves it to another node after that. The on-call doctors join on the
         * admins' word (the roster), without the {@link AccessPolicy}'s say. Off by default: urgent
         * messages sent through a facade without it do not escalate.
         *
         * @param delay how long an urgent message waits, 1 second to 24 hours (the example server's
         *     default is 10 minutes)
         * @param scanInterval how often this node looks for due escalations, 100 milliseconds to
         *     10 minutes
         * @param timer runs the scan; the application owns it and shuts it down after closing the
         *     facade
         * @return this builder
         */
        public Builder urgentEscalation(Duration delay, Duration scanInterval, ScheduledExecutorService timer) {
            this.escalationDelay = requireNonNull(delay, "delay");
            this.escalationInterval = requireNonNull(scanInterval, "scanInterval");
            this.escalationTimer = requireNonNull(timer, "timer");
            return this;
        }

        /** How long a claim on an escalation holds. */
        private Duration escalationLease() {
            Duration fourScans = escalationInterval == null ? Duration.ZERO : escalationInterval.multipliedBy(4);
            Duration minute = Duration.ofMinutes(1);
            return fourScans.compareTo(minute) > 0 ? fourScans : minute;
        }

        /**
         * Sets how long a break-glass grant lasts ({@link Messaging#breakGlass}). Default: 60
         * minutes; from 1 second (for tests) to 24 hours.
         *
         * @param value the duration
         * @return this builder
         */
        public Builder breakGlassDuration(Duration value) {
            this.breakGlassDuration = requireNonNull(value, "breakGlassDuration");
            return this;
        }

        /**
         * Sets the largest page of a patient's access log ({@link Messaging#accessLog}). Default:
         * 100; from 1 to 1,000.
         *
         * @param value the largest page
         * @return this builder
         */
        public Builder accessLogMaxLimit(int value) {
            this.accessLogMaxLimit = value;
            return this;
        }

        /**
         * Sets the storage. Required.
         *
         * @param value the stores, such as {@code InMemoryStorage} or the JDBC adapter's
         * @return this builder
         */
        public Builder storage(MessagingStorage value) {
            this.storage = requireNonNull(value, "storage");
            return this;
        }

        /**
         * Sets the event bus that carries committed events to live sessions. Required.
         *
         * @param value the bus
         * @return this builder
         */
        public Builder eventBus(EventBus value) {
            this.eventBus = requireNonNull(value, "eventBus");
            return this;
        }

        /**
         * Replaces the access policy; the default is {@link DefaultAccessPolicy}.
         *
         * @param value the policy
         * @return this builder
         */
        public Builder accessPolicy(AccessPolicy value) {
            this.accessPolicy = requireNonNull(value, "accessPolicy");
            return this;
        }

        /**
         * Sets the clock; the default is the UTC system clock.
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = requireNonNull(value, "clock");
            return this;
        }

        /**
         * Sets the limits; the default is {@link MessagingLimits#defaults()}.
         *
         * @param value the limits
         * @return this builder
         */
        public Builder limits(MessagingLimits value) {
            this.limits = requireNonNull(value, "limits");
            return this;
        }

        /**
         * Turns on CareChat's own accounts and tokens ({@link Messaging#accounts()},
         * {@link Messaging#tokens()}). Then {@link #auditSink(AuditSink)} is required too; refresh
         * tokens are kept in the storage's {@link MessagingStorage#refreshTokens()} unless
         * {@link #refreshTokens(RefreshTokenStore)} names another store.
         *
         * @param value keys, lifetimes and external identity providers
         * @return this builder
         */
        public Builder tokens(TokenSettings value) {
            this.tokenSettings = requireNonNull(value, "tokens");
            return this;
        }

        /**
         * Keeps refresh tokens in another store than the storage's
         * {@link MessagingStorage#refreshTokens()}, the default. Used only with
         * {@link #tokens(TokenSettings)}.
         *
         * @param value the store
         * @return this builder
         */
        public Builder refreshTokens(RefreshTokenStore value) {
            this.refreshTokens = requireNonNull(value, "refreshTokens");
            return this;
        }

        /**
         * Sets the audit sink. Required: every access to a conversation, every send, read and
         * receipt, and every refusal is recorded there before it takes effect, metadata only. Use
         * an {@link io.carechat.messaging.spi.AuditTrail} (in memory or the JDBC adapter's) for a
         * tamper-evident, queryable trail; {@link #build()} keys its hash chain with the
         * {@link #keyProvider(KeyProvider) key provider} ({@link AuditTrail#useKeys(KeyProvider)}).
         *
         * @param value the sink
         * @return this builder
         */
        public Builder auditSink(AuditSink value) {
            this.auditSink = requireNonNull(value, "auditSink");
            return this;
        }

        /**
         * Sets the keys message bodies are encrypted with at rest (AES-256-GCM, see
         * {@link FieldCipher}). Required: every store holds only ciphertext. New messages use the
         * provider's current key; rows under older keys still decrypt while the provider holds them.
         *
         * @param value the key provider, such as
         *     {@link io.carechat.messaging.crypto.EnvironmentKeyProvider#fromEnvironment()}
         * @return this builder
         */
        public Builder keyProvider(KeyProvider value) {
            this.keyProvider = requireNonNull(value, "keyProvider");
            return this;
        }

        /**
         * Turns on attachments, kept (encrypted) in this store. Without it, every attachment id in
         * a send is unknown and {@link Messaging#uploadAttachment} is refused.
         *
         * @param value the store, such as {@code InMemoryAttachmentStore} or {@code JdbcStorage.attachments()}
         * @return this builder
         */
        public Builder attachmentStore(AttachmentStore value) {
            this.attachmentStore = requireNonNull(value, "attachmentStore");
            return this;
        }

        /**
         * Sets the largest attachment and the most one user may upload in total. Default: 10 MiB
         * and 100 MiB.
         *
         * @param maxBytes the largest upload, positive
         * @param quotaBytes the per-user quota, at least {@code maxBytes}
         * @return this builder
         */
        public Builder attachmentLimits(long maxBytes, long quotaBytes) {
            this.maxAttachmentBytes = maxBytes;
            this.attachmentQuotaBytes = quotaBytes;
            return this;
        }

        /**
         * Sets the most all stored attachments together may take (the total quota, besides each
         * user's). Default: 10 GiB. Beyond it uploads are refused with {@link TooLargeException}.
         *
         * @param totalBytes the total quota, at least the per-user quota
         * @return this builder
         */
        public Builder attachmentStorageLimit(long totalBytes) {
            this.attachmentStorageBytes = totalBytes;
            return this;
        }

        /**
         * Sets the password hasher; the default is {@link PasswordHasher#defaults()}
         * (Argon2id, which needs BouncyCastle); {@link PasswordHasher#pbkdf2()} needs only the JDK.
         *
         * @param value the hasher
         * @return this builder
         */
        public Builder passwordHasher(PasswordHasher value) {
            this.passwordHasher = requireNonNull(value, "passwordHasher");
            return this;
        }

        /**
         * Sets the password policy; the default is {@link PasswordPolicy#defaults()}.
         *
         * @param value the policy
         * @return this builder
         */
        public Builder passwordPolicy(PasswordPolicy value) {
            this.passwordPolicy = requireNonNull(value, "passwordPolicy");
            return this;
        }

        /**
         * Sets the login throttle's limits; the default is {@link LoginThrottle.Settings#defaults()}.
         *
         * @param value the limits
         * @return this builder
         */
        public Builder loginThrottle(LoginThrottle.Settings value) {
            this.loginThrottle = requireNonNull(value, "loginThrottle");
            return this;
        }

        /**
         * Aggregates identical refusals (the same rejected token reason from one address, a
         * throttled login tried again and again, the same denied access) into one audit event per
         * window carrying their count, instead of one event each; see {@link RefusalAggregator}.
         * Pending counts are kept when a window ends, checked on {@code timer}, and on
         * {@link Messaging#close()}. By default every refusal is its own event.
         *
         * @param window how long identical refusals are counted together, from 1 second to 1 hour
         * @param timer runs the check for windows that ended; the application owns it and shuts
         *     it down after closing the facade
         * @return this builder
         */
        public Builder aggregateRefusals(Duration window, ScheduledExecutorService timer) {
            this.refusalWindow = requireNonNull(window, "window");
            this.refusalTimer = requireNonNull(timer, "timer");
            return this;
        }

        /**
         * Names this node of a cluster, as its presence events and presence lease carry it. Give
         * each node its own id, such as the event bus's node id. Default: a random UUID.
         *
         * @param value 1 to 64 characters from {@code [A-Za-z0-9_-]}
         * @return this builder
         */
        public Builder nodeId(String value) {
            this.nodeId = requireNonNull(value, "nodeId");
            return this;
        }

        /**
         * Keeps presence cluster-wide in the storage's {@link MessagingStorage#presence()} under a
         * lease: every third of {@code lease} this node writes its online users and renews its
         * lease, and reads every other live node's. A node that starts learns who is online on the
         * others, and the users of a node that dies show offline everywhere within about
         * {@code lease} and a third. By default presence travels on the event bus only, which is
         * enough for one node.
         *
         * @param lease how long a node's word stands without renewal, from 3 seconds to 10 minutes
         * @param timer runs the refresh; the application owns it and shuts it down after closing the
         *     facade
         * @return this builder
         */
        public Builder clusterPresence(Duration lease, ScheduledExecutorService timer) {
            this.presenceLease = requireNonNull(lease, "lease");
            this.presenceTimer = requireNonNull(timer, "timer");
            return this;
        }

        /**
         * Tells users who are offline, through {@code notifier}, that messages wait for them: when
         * a message reaches a member who has no live session on any node, a notice becomes due
         * after {@link NotificationSettings#delay()}; if the user is still offline then and still
         * has unread messages, {@code notifier} gets one {@link OfflineNotice} with their counts and
         * a deep link (never content or names) for everything that arrived meanwhile, at most once
         * per {@link NotificationSettings#quietPeriod()}. Only messages count; notices
         * (escalations, break-glass, role requests) are for staff online. The schedule is kept in
         * the storage's {@link MessagingStorage#notifications()}, so nodes sharing storage notify
         * each user once. By default no one is notified and nothing is scheduled.
         *
         * @param notifier tells the users; called on {@code calls}, never on a send or transport thread
         * @param settings the delay, quiet period and deep link
         * @param timer runs the checks every {@link NotificationSettings#checkInterval()}; the
         *     application owns it and shuts it down after closing the facade
         * @param calls runs the notifier's calls; the application owns it and shuts it down after
         *     closing the facade
         * @return this builder
         */
        public Builder notifier(Notifier notifier, NotificationSettings settings, ScheduledExecutorService timer,
                Executor calls) {
            this.notifier = requireNonNull(notifier, "notifier");
            this.notificationSettings = requireNonNull(settings, "settings");
            this.notificationTimer = requireNonNull(timer, "timer");
            this.notifierCalls = requireNonNull(calls, "calls");
            return this;
        }

        private OfflineNotifications newOfflineNotifications(MessagingStorage stores, PresenceRegistry presence) {
            if (notifier == null || notificationSettings == null) {
                return OfflineNotifications.off(stores.receipts(), clock);
            }
            return OfflineNotifications.on(notifier, notificationSettings, stores.notifications(), stores.receipts(),
                    presence::of, user -> stores.users().find(user).map(User::enabled).orElse(false), clock,
                    requireNonNull(notifierCalls));
        }

        private @Nullable AccessTokens newAccessTokens(@Nullable TokenRevocations revocations,
                @Nullable RefusalAggregator refusals) {
            if (tokenSettings == null || revocations == null) {
                return null;
            }
            return AccessTokens.create(tokenSettings, requireNonNull(auditSink), clock, revocations, refusals,
                    requireNonNull(storage).users(), metrics);
        }

        private @Nullable Accounts newAccounts(@Nullable AccessTokens tokens, @Nullable RefusalAggregator refusals) {
            if (tokens == null) {
                return null;
            }
            MessagingStorage stores = requireNonNull(storage);
            Accounts.Builder accounts = Accounts.builder();
            if (refusals != null) {
                accounts.refusalAggregator(refusals);
            }
            return accounts
                    .users(stores.users())
                    .roleRequests(new SealedRoleRequestStore(stores.roleRequests(),
                            new FieldCipher(requireNonNull(keyProvider)), new AuditRecorder(requireNonNull(auditSink), clock)))
                    .refreshTokens(refreshTokens != null ? refreshTokens : stores.refreshTokens())
                    .auditSink(requireNonNull(auditSink))
                    .eventBus(requireNonNull(eventBus))
                    .accessTokens(tokens)
                    .clock(clock)
                    .passwordHasher(passwordHasher != null ? passwordHasher : PasswordHasher.defaults())
                    .passwordPolicy(passwordPolicy)
                    .loginThrottle(loginThrottle)
                    .build();
        }

        /**
         * Checks the whole configuration and builds the facade.
         *
         * @return the facade
         * @throws ConfigurationException listing every problem found
         */
        public Messaging build() {
            List<String> problems = new ArrayList<>();
            if (storage == null) {
                problems.add("storage is required");
            }
            if (eventBus == null) {
                problems.add("eventBus is required");
            }
            problems.addAll(limits.problems());
            if (auditSink == null) {
                problems.add("auditSink is required");
            }
            if (maxAttachmentBytes < 1 || attachmentQuotaBytes < maxAttachmentBytes) {
                problems.add("attachmentLimits need a positive maxBytes and a quota of at least maxBytes");
            }
            if (attachmentStorageBytes < attachmentQuotaBytes) {
                problems.add("attachmentStorageLimit must be at least the per-user quota (" + attachmentQuotaBytes
                        + "), was " + attachmentStorageBytes);
            }
            if (!NODE_ID.matcher(nodeId).matches()) {
                problems.add("nodeId must be 1 to 64 characters from [A-Za-z0-9_-]");
            }
            if (presenceLease != null && (presenceLease.compareTo(Duration.ofSeconds(3)) < 0
                    || presenceLease.compareTo(Duration.ofMinutes(10)) > 0)) {
                problems.add("clusterPresence needs a lease from 3 seconds to 10 minutes, was " + presenceLease);
            }
            if (refusalWindow != null && (refusalWindow.compareTo(Duration.ofSeconds(1)) < 0
                    || refusalWindow.compareTo(Duration.ofHours(1)) > 0)) {
                problems.add("aggregateRefusals needs a window from 1 second to 1 hour, was " + refusalWindow);
            }
            if (recallWindow.compareTo(Duration.ofSeconds(1)) < 0) {
                problems.add("recallWindow must be at least 1 second, was " + recallWindow);
            }
            try {
                FhirCommunicationExporter.checkSystem(fhirUserSystem);
            } catch (IllegalArgumentException e) {
                problems.add("fhirIdentifierSystem must be an absolute URI");
            }
            if (fhirExportLimit < 1) {
                problems.add("fhirExportLimit must be at least 1, was " + fhirExportLimit);
            }
            if (breakGlassDuration.compareTo(Duration.ofSeconds(1)) < 0
                    || breakGlassDuration.compareTo(Duration.ofHours(24)) > 0) {
                problems.add("breakGlassDuration must be from 1 second to 24 hours, was " + breakGlassDuration);
            }
            if (escalationDelay != null && (escalationDelay.compareTo(Duration.ofSeconds(1)) < 0
                    || escalationDelay.compareTo(Duration.ofHours(24)) > 0)) {
                problems.add("urgentEscalation needs a delay from 1 second to 24 hours, was " + escalationDelay);
            }
            if (escalationInterval != null && (escalationInterval.compareTo(Duration.ofMillis(100)) < 0
                    || escalationInterval.compareTo(Duration.ofMinutes(10)) > 0)) {
                problems.add("urgentEscalation needs a scan interval from 100 milliseconds to 10 minutes, was "
                        + escalationInterval);
            }
            if (accessLogMaxLimit < 1 || accessLogMaxLimit > 1_000) {
                problems.add("accessLogMaxLimit must be 1 to 1000, was " + accessLogMaxLimit);
            }
            if (keyProvider == null) {
                problems.add("keyProvider is required");
            } else if (keyProvider.key(keyProvider.currentKeyId()).isEmpty()) {
                problems.add("keyProvider does not hold its current key");
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException("Messaging", problems);
            }
            if (auditSink instanceof AuditTrail trail) {
                trail.useKeys(keyProvider);
            }
            return new Messaging(this);
        }
    }

    // ---- the operations; see the class javadoc for the rules every one keeps ----

    /**
     * Opens the direct conversation between the caller and another user, or returns the existing
     * one. Allowed only when the access policy lets the caller message that user.
     *
     * @param caller who asks
     * @param with the other user
     * @return the conversation
     * @throws BadRequestException if {@code with} is the caller
     * @throws NotFoundException if the other user does not exist or is disabled
     * @throws ForbiddenException if the policy does not allow it (judged on both users' stored
     *     roles, not the token's), or the caller's own account is gone or disabled
     */
    public Conversation openDirect(Caller caller, UserId with) {
        requireNonNull(caller, "caller");
        requireNonNull(with, "with");
        ensureOpen();
        return conversations.openDirect(caller, with);
    }

    /**
     * Sends a message; returns only after it is committed, then publishes it to the members.
     * Idempotent by the sender's {@code clientMsgId}: a repeat returns the original message, and
     * the same id with a different body, priority, attachments or conversation is a conflict.
     *
     * <p>Validation: the {@code clientMsgId} has 1 to {@link MessagingLimits#maxClientMsgIdLength()}
     * printable characters (no control, format or separator characters); the body has at most
     * {@link MessagingLimits#maxBodyChars()} characters, counted as Unicode code points (an emoji
     * counts once), and may be empty or blank only when attachments are sent; at most
     * {@link MessagingLimits#maxAttachmentsPerMessage()} attachments, none repeated. Each attachment id
     * must be an upload of the sender's ({@link #uploadAttachment}); any other is answered with
     * {@link BadRequestException} "unknown attachment"; once sent, every member may download it.
     * The caller's account is checked first, then membership, then the request, so a non-member
     * always gets {@link NotFoundException}.
     *
     * @param caller the sender
     * @param request what to send
     * @return the stored message
     * @throws NotFoundException if the caller is not a member of the conversation
     * @throws BadRequestException if the request breaks a rule (body length, clientMsgId form,
     *     attachments)
     * @throws ConflictException if the {@code clientMsgId} was used for another message
     * @throws UnavailableException if storage is down; retrying the same request is safe
     * @throws ForbiddenException if the caller's account is disabled or gone (see the class javadoc)
     * @throws RateLimitedException if the caller used their send budget; retry the same request later
     */
    public Message send(Caller caller, SendRequest request) {
        requireNonNull(caller, "caller");
        requireNonNull(request, "request");
        ensureOpen();
        long start = System.nanoTime();
        try {
            sendRate.acquire(caller.userId());
            activeCallers.require(caller.userId());
            Message message = messages.send(caller, request);
            metrics.sendFinished(SEND_OK, System.nanoTime() - start);
            return message;
        } catch (RuntimeException e) {
            metrics.sendFinished(outcomeOf(e), System.nanoTime() - start);
            throw e;
        }
    }

    /**
     * Sends a message as {@link #send} does, without waiting for the commit, so one caller (a
     * socket) can have several sends in flight. The checks run on the calling thread and throw as
     * {@link #send} throws; the append joins the store's next batch; once it is durable the rest
     * (publishing the message, completing the future) runs on {@code completions}. Sends of one
     * caller are stored in the order of these calls.
     *
     * @param caller the sender
     * @param request what to send
     * @param completions runs the work after each commit; a serial executor per caller keeps that
     *     caller's answers in commit order
     * @return completes with the stored message, or fails with the {@link MessagingException}
     *     {@link #send} would throw (wrapped in a {@link java.util.concurrent.CompletionException}
     *     where the future API wraps)
     * @throws NotFoundException if the caller is not a member of the conversation
     * @throws BadRequestException if the request breaks a rule
     * @throws ForbiddenException if the caller's account is disabled or gone
     * @throws RateLimitedException if the caller used their send budget, shared with {@link #send}
     */
    public CompletableFuture<Message> sendAsync(Caller caller, SendRequest request, Executor completions) {
        requireNonNull(caller, "caller");
        requireNonNull(request, "request");
        requireNonNull(completions, "completions");
        ensureOpen();
        long start = System.nanoTime();
        CompletableFuture<Message> sent;
        try {
            sendRate.acquire(caller.userId());
            activeCallers.require(caller.userId());
            sent = messages.sendAsync(caller, request, completions);
        } catch (RuntimeException e) {
            metrics.sendFinished(outcomeOf(e), System.nanoTime() - start);
            throw e;
        }
        sent.whenComplete((message, failure) -> metrics.sendFinished(
                failure == null ? SEND_OK : outcomeOf(failure), System.nanoTime() - start));
        return sent;
    }

    /** A failed send's outcome for the metrics: its error code's wire name. */
    private static String outcomeOf(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof MessagingException m ? m.code().wireName() : ErrorCode.INTERNAL.wireName();
    }

    /**
     * Uploads an attachment for a later {@link #send}. The type is recognised from the content
     * alone (PDF, PNG or JPEG, complete), never from the name or the declared type; the size limit
     * is enforced while reading; the name is kept only as sanitised display text; the content is
     * stored encrypted. Recorded as {@code attachment.upload}.
     *
     * @param caller the uploader
     * @param fileName the client's file name, display text only
     * @param declaredType the client's declared type, ignored (kept for transports to pass through)
     * @param content the bytes; read, not closed
     * @return the reference to put in a {@link SendRequest}
     * @throws TooLargeException if larger than the limit, or the caller's quota or the total
     *     attachment storage would be exceeded (checked and stored atomically, so parallel uploads
     *     cannot pass a quota together)
     * @throws UnsupportedMediaTypeException if not a complete PDF, PNG or JPEG
     * @throws IllegalStateException if no attachment store was configured
     */
    public AttachmentRef uploadAttachment(Caller caller, String fileName, @Nullable String declaredType,
            InputStream content) {
        requireNonNull(caller, "caller");
        requireNonNull(fileName, "fileName");
        requireNonNull(content, "content");
        ensureOpen();
        activeCallers.require(caller.userId());
        return attachments.upload(caller, fileName, content);
    }

    /**
     * Downloads an attachment: allowed to its uploader and to members of a conversation with a
     * message referring to it, and to a doctor holding an active {@link #breakGlass} grant on one. Recorded as {@code attachment.download}.
     *
     * @param caller who asks
     * @param id the attachment
     * @return its reference and decrypted content
     * @throws NotFoundException if it does not exist or the caller may not see it
     * @throws IntegrityException if the stored content was tampered with
     * @throws IllegalStateException if no attachment store was configured
     */
    public AttachmentDownload downloadAttachment(Caller caller, AttachmentId id) {
        requireNonNull(caller, "caller");
        requireNonNull(id, "id");
        ensureOpen();
        activeCallers.require(caller.userId());
        return attachments.download(caller, id);
    }

    /**
     * A page of history, ascending by {@code seq}.
     *
     * @param caller a member
     * @param conversationId the conversation
     * @param beforeSeq only messages before this {@code seq}, or null for the newest
     * @param limit the page size (1 to the configured maximum), or null for the default
     * @return the page
     * @throws NotFoundException if the caller is not a member
     * @throws BadRequestException if the limit is out of range or {@code beforeSeq} is below 1
     * @throws ForbiddenException if the caller's account is disabled or gone (see the class javadoc)
     * @throws RateLimitedException if the caller used their history budget
     */
    public HistoryPage history(
            Caller caller, ConversationId conversationId, @Nullable Long beforeSeq, @Nullable Integer limit) {
        requireNonNull(caller, "caller");
        requireNonNull(conversationId, "conversationId");
        ensureOpen();
        activeCallers.require(caller.userId());
        historyRate.acquire(caller.userId());
        return messages.history(caller, conversationId, beforeSeq, limit);
    }

    /**
     * The messages a member has not yet received, after their {@code deliveredSeq}, ascending and
     * bounded by {@link MessagingLimits#backlogLimit()}.
     *
     * @param caller a member
     * @param conversationId the conversation
     * @return the backlog
     * @throws NotFoundException if the caller is not a member
     */
    public List<Message> backlog(Caller caller, ConversationId conversationId) {
        requireNonNull(caller, "caller");
        requireNonNull(conversationId, "conversationId");
        ensureOpen();
        activeCallers.require(caller.userId());
        return messages.backlog(caller, conversationId);
    }

    /**
     * Records that the caller's device received messages up to {@code seq}. Never moves back; the
     * other members are told when it rises.
     *
     * @param caller a member
     * @param conversationId the conversation
     * @param seq the position; above the conversation's last {@code seq} it counts as the last
     * @return the caller's state afterwards
     * @throws NotFoundException if the caller is not a member
     * @throws BadRequestException if {@code seq} is negative
     * @throws ForbiddenException if the caller's account is disabled or gone (see the class javadoc)
     */
    public MemberState markDelivered(Caller caller, ConversationId conversationId, long seq) {
        requireNonNull(caller, "caller");
        requireNonNull(conversationId, "conversationId");
        ensureOpen();
        activeCallers.require(caller.userId());
        return receipts.markDelivered(caller, conversationId, seq);
    }

    /**
     * Records that the caller read messages up to {@code seq}. Never moves back; the other
     * members get a receipt and the caller's own sessions the new unread counts.
     *
     * @param caller a member
     * @param conversationId the conversation
     * @param seq the position; above the conversation's last {@code seq} it counts as the last
     * @return the caller's state afterwards
     * @throws NotFoundException if the caller is not a member
     * @throws BadRequestException if {@code seq} is negative
     * @throws ForbiddenException if the caller's account is disabled or gone (see the class javadoc)
     */
    public MemberState markRead(Caller caller, ConversationId conversationId, long seq) {
        requireNonNull(caller, "caller");
        requireNonNull(conversationId, "conversationId");
        ensureOpen();
        activeCallers.require(caller.userId());
        return receipts.markRead(caller, conversationId, seq);
    }

    /**
     * The caller's unread counts.
     *
     * @param caller the user
     * @return per conversation and in total
     */
    public UnreadCounts unread(Caller caller) {
        requireNonNull(caller, "caller");
        ensureOpen();
        activeCallers.require(caller.userId());
        return receipts.unread(caller.userId());
    }

    /**
     * The caller's conversations, newest activity first (at most
     * {@link MessagingLimits#maxConversations()}), each with its last {@code seq}, the caller's
     * position and unread count, and every member's display name, roles and delivered and read
     * positions. The members' accounts are loaded with one store call for the whole list.
     *
     * @param caller the user
     * @return the overviews
     */
    public List<ConversationOverview> conversations(Caller caller) {
        requireNonNull(caller, "caller");
        ensureOpen();
        activeCallers.require(caller.userId());
        return memberDirectory.overviews(conversations.listFor(caller.userId()));
    }

    /**
     * Every member of a conversation with their display name, roles and delivered and read
     * positions, in the conversation's member order: what a client shows after {@code open}.
     *
     * @param caller a member
     * @param conversationId the conversation
     * @return the members, the caller among them
     * @throws NotFoundException if the caller is not a member
     */
    public List<ConversationMember> members(Caller caller, ConversationId conversationId) {
        requireNonNull(caller, "caller");
        requireNonNull(conversationId, "conversationId");
        ensureOpen();
        activeCallers.require(caller.userId());
        return memberDirectory.members(membership.requireAll(conversationId, caller.userId()));
    }

    /**
     * Creates a group conversation, a care team, with the caller as its first member and the
     * others after, in the order given. The {@link AccessPolicy} decides
     * ({@link AccessPolicy#mayCreateGroup}, {@link AccessPolicy#mayAddToGroup} for each member);
     * by default a doctor creates one with the patients and doctors they may message. Audited as
     * {@code conversation.create} and, per member, {@code conversation.member.add}.
     *
     * @param caller the creator
     * @param title the title, 1 to {@link Conversation#MAX_TITLE_CHARS} characters once stripped
     *     of surrounding blanks
     * @param memberIds the other members: 2 to {@link MessagingLimits#maxGroupMembers()}, distinct,
     *     not the caller
     * @return the group
     * @throws BadRequestException if the title or the member list breaks a rule
     * @throws ForbiddenException if the policy refuses, or the caller's account is disabled or gone
     * @throws NotFoundException if a member is not an enabled user
     */
    public Conversation createGroup(Caller caller, String title, List<UserId> memberIds) {
        requireNonNull(caller, "caller");
        requireNonNull(title, "title");
        requireNonNull(memberIds, "memberIds");
        ensureOpen();
        activeCallers.require(caller.userId());
        return careTeams.create(caller, title, List.copyOf(memberIds));
    }

    /**
     * Adds a member to a group. They join at the group's last {@code seq} ({@code joinedSeq}) and
     * see what comes after it: history, backlog and unread counts start there. The
     * {@link AccessPolicy#mayAddToGroup} decides; every member's sessions on every node get the new
     * member list through {@link io.carechat.messaging.event.MembersChanged}. Audited as
     * {@code conversation.member.add}.
     *
     * @param caller a member of the group
     * @param conversationId the group
     * @param userId the user to add
     * @return the members afterwards
     * @throws NotFoundException if the caller is not a member, or the user is not an enabled user
     * @throws BadRequestException if the conversation is a direct one
     * @throws ForbiddenException if the policy refuses, or the caller's account is disabled or gone
     * @throws ConflictException if the user is a member already, or the group has
     *     {@link MessagingLimits#maxGroupMembers()} members besides its creator
     */
    public List<ConversationMember> addMember(Caller caller, ConversationId conversationId, UserId userId) {
        requireNonNull(caller, "caller");
        requireNonNull(conversationId, "conversationId");
        requireNonNull(userId, "userId");
        ensureOpen();
        activeCallers.require(caller.userId());
        return careTeams.add(caller, conversationId, userId);
    }

    /**
     * Removes a member from a group (the caller themselves to leave). From the commit on, the
     * removed user is no member on any node: no history, no sends, no events of the group. Their
     * membership period is kept in the store ({@link io.carechat.messaging.spi.ConversationStore#membershipHistory}).
     * The {@link AccessPolicy#mayRemoveFromGroup} decides; a group keeps at least one doctor.
     * Audited as {@code conversation.member.remove}.
     *
     * @param caller a member of the group
     * @param conversationId the group
     * @param userId the member to remove
     * @return the members afterwards
     * @throws NotFoundException if the caller or the user is not a member
     * @throws BadRequestException if the conversation is a direct one
     * @throws ForbiddenException if the policy refuses, or the caller's account is disabled or gone
     * @throws ConflictException if the member is the group's last doctor
     */
    public List<ConversationMember> removeMember(Caller caller, ConversationId conversationId, UserId userId) {
        requireNonNull(caller, "caller");
        requireNonNull(conversationId, "conversationId");
        requireNonNull(userId, "userId");
        ensureOpen();
        activeCallers.require(caller.userId());
        return careTeams.remove(caller, conversationId, userId);
    }

    /**
     * Whom the caller may message, with their availability: the access policy's contacts, each
     * checked again with {@link AccessPolicy#mayMessage(User, User)}, at most
     * {@link MessagingLimits#maxContacts()}.
     *
     * @param caller the user
     * @return the contacts
     * @throws ForbiddenException if the caller's own account is gone or disabled
     */
    public List<Contact> contacts(Caller caller) {
        requireNonNull(caller, "caller");
        ensureOpen();
        activeCallers.require(caller.userId());
        return contacts.contactsOf(caller.userId());
    }

    /**
     * Sets the caller's availability and tells the users who may message them.
     *
     * @param caller the user
     * @param presence available, busy or away
     * @throws BadRequestException for {@link Presence#OFFLINE}, which only CareChat sets
     * @throws ForbiddenException if the caller's account is disabled or gone (see the class javadoc)
     * @throws RateLimitedException if the caller used their presence budget
     */
    public void setPresence(Caller caller, Presence presence) {
        requireNonNull(caller, "caller");
        requireNonNull(presence, "presence");
        ensureOpen();
        if (presence == Presence.OFFLINE) {
            throw new BadRequestException("status must be 'available', 'busy' or 'away'");
        }
        presenceRate.acquire(caller.userId());
        activeCallers.require(caller.userId());
        this.presence.announce(caller.userId(), presence);
    }

    /**
     * The users among {@code userIds} whose stored account holds a role, for transports that push
     * something to the holders of a role (a role request's notice goes to admins): judged on the
     * stored roles, never a token's. Reads the store only for users not remembered; a role change
     * on any node makes every node read it again (through
     * {@link io.carechat.messaging.event.SessionsRevoked} on the bus).
     *
     * @param userIds the users
     * @param role the role
     * @return those holding it, in the order given; unknown users are left out
     */
    public List<UserId> holdingRole(List<UserId> userIds, Role role) {
        requireNonNull(userIds, "userIds");
        requireNonNull(role, "role");
        ensureOpen();
        return userRoles.holding(userIds, role);
    }

    /**
     * This node's id, as its presence events carry it ({@link Builder#nodeId(String)}).
     *
     * @return the id
     */
    public String nodeId() {
        return nodeId;
    }

    /**
     * A user's current availability: the one they set last on any node holding a session of theirs.
     *
     * @param userId the user
     * @return the presence, {@link Presence#OFFLINE} when unknown
     */
    public Presence presence(UserId userId) {
        requireNonNull(userId, "userId");
        ensureOpen();
        return presence.of(userId);
    }

    /**
     * Tells the other members that the caller is typing. Nothing is stored.
     *
     * @param caller a member
     * @param conversationId the conversation
     * @throws NotFoundException if the caller is not a member
     * @throws ForbiddenException if the caller's account is disabled or gone (see the class javadoc)
     * @throws RateLimitedException if the caller used their typing budget
     */
    public void typing(Caller caller, ConversationId conversationId) {
        requireNonNull(caller, "caller");
        requireNonNull(conversationId, "conversationId");
        ensureOpen();
        typingRate.acquire(caller.userId());
        activeCallers.require(caller.userId());
        conversations.typing(caller, conversationId);
    }

    /**
     * Subscribes to committed events, as transports do. Each
     * {@link io.carechat.messaging.event.MessageCommitted} comes with its message opened: the bus
     * carries ids only, and the facade reads another node's message from the store and opens it
     * (a body that fails its integrity check is audited as {@code integrity.failure} and not
     * handed on; one that cannot be read is replaced by a {@link io.carechat.messaging.event.Resync}).
     * Every other event comes as the bus delivered it.
     *
     * @param listener called for every event, on the bus's delivery thread; must not block
     * @return the subscription; {@link #close()} closes it too
     */
    public EventBus.Subscription subscribe(EventBus.EventListener listener) {
        requireNonNull(listener, "listener");
        ensureOpen();
        EventBus.Subscription relayed = relay.subscribe(listener);
        EventBus.Subscription tracked = new EventBus.Subscription() {
            @Override
            public void close() {
                subscriptions.remove(this);
                relayed.close();
            }
        };
        subscriptions.add(tracked);
        if (closed.get()) {
            tracked.close();
            throw new IllegalStateException("Messaging is closed");
        }
        return tracked;
    }

    /**
     * Reads audit events back, for an administrator's view. Recorded as {@code audit.query}.
     *
     * @param caller an admin (judged on the stored account, not the token)
     * @param query the filters and page size
     * @return the matching records, oldest first
     * @throws ForbiddenException if the caller is not a stored, enabled admin
     * @throws IllegalStateException if the configured audit sink is not an
     *     {@link io.carechat.messaging.spi.AuditTrail}
     */
    public List<AuditRecord> auditEvents(Caller caller, AuditQuery query) {
        requireNonNull(caller, "caller");
        requireNonNull(query, "query");
        ensureOpen();
        return auditAdmin.query(caller, query);
    }

    /**
     * Walks the audit trail's hash chain. Recorded as {@code audit.verify}.
     *
     * @param caller an admin
     * @return whether the chain holds, and where it first breaks
     * @throws ForbiddenException if the caller is not a stored, enabled admin
     * @throws IllegalStateException if the configured audit sink is not an
     *     {@link io.carechat.messaging.spi.AuditTrail}
     */
    public ChainVerification verifyAudit(Caller caller) {
        requireNonNull(caller, "caller");
        ensureOpen();
        return auditAdmin.verify(caller);
    }

    /**
     * Exports the audit events of a time range as a FHIR R4 Bundle of AuditEvent resources (see
     * {@link io.carechat.messaging.audit.FhirAuditExporter}). Recorded as {@code audit.export}
     * before it runs.
     *
     * @param caller an admin
     * @param from the first instant included
     * @param to the first instant excluded
     * @return the Bundle as JSON
     * @throws ForbiddenException if the caller is not a stored, enabled admin
     * @throws BadRequestException if {@code to} is before {@code from}
     * @throws IllegalStateException if the configured audit sink is not an
     *     {@link io.carechat.messaging.spi.AuditTrail}
     */
    public String exportAudit(Caller caller, Instant from, Instant to) {
        requireNonNull(caller, "caller");
        requireNonNull(from, "from");
        requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new BadRequestException("'to' must not be before 'from'");
        }
        ensureOpen();
        return auditAdmin.export(caller, from, to);
    }

    /**
     * Recalls one of the caller's own messages, within the recall window. The original stays in
     * storage for the legal record; from now on every read returns the message as a tombstone
     * (no body, no attachments, {@code recalled}), its attachments can no longer be downloaded
     * through the conversation, and every member's sessions get {@code recalled}. Recorded as
     * {@code message.recall}; the reason is kept sealed with the recall. Recalling a recalled
     * message again returns its tombstone and changes nothing.
     *
     * @param caller the message's sender
     * @param conversationId the conversation
     * @param seq the message's place
     * @param reason why, not blank, at most {@link MessagingLimits#maxBodyChars()} characters
     * @return the tombstone
     * @throws NotFoundException if the caller is not a member, or no message is at {@code seq}
     * @throws ForbiddenException if the caller did not send it, the window has passed, or the
     *     caller's account is disabled or gone
     * @throws BadRequestException if the reason is blank or too long
     * @throws RateLimitedException if the caller used their send budget (a recall counts as a send)
     */
    public Message recall(Caller caller, ConversationId conversationId, long seq, String reason) {
        requireNonNull(caller, "caller");
        requireNonNull(conversationId, "conversationId");
        requireNonNull(reason, "reason");
        ensureOpen();
        activeCallers.require(caller.userId());
        sendRate.acquire(caller.userId());
        return recalls.recall(caller, conversationId, seq, reason);
    }

    /**
     * How long after sending a sender may recall a message.
     *
     * @return the recall window
     */
    public Duration recallWindow() {
        return recallWindow;
    }

    /**
     * Exports one conversation as a FHIR R4 Bundle of Communication resources (see
     * {@link FhirCommunicationExporter}). Recorded as {@code message.export} before it runs.
     *
     * @param caller a member
     * @param conversationId the conversation
     * @return the Bundle as JSON
     * @throws NotFoundException if the caller is not a member
     * @throws TooLargeException if it holds more messages than the export limit
     * @throws RateLimitedException if the caller used their history budget (an export counts as a
     *     history read)
     */
    public String exportFhir(Caller caller, ConversationId conversationId) {
        requireNonNull(caller, "caller");
        requireNonNull(conversationId, "conversationId");
        ensureOpen();
        activeCallers.require(caller.userId());
        historyRate.acquire(caller.userId());
        return fhirExport.export(caller, List.of(conversationId));
    }

    /**
     * Exports every conversation of the caller's (those {@link #conversations} lists) as one FHIR
     * R4 Bundle of Communication resources. Recorded as {@code message.export} per conversation.
     *
     * @param caller the user
     * @return the Bundle as JSON
     * @throws TooLargeException if they hold more messages than the export limit
     * @throws RateLimitedException if the caller used their history budget
     */
    public String exportOwnFhir(Caller caller) {
        requireNonNull(caller, "caller");
        ensureOpen();
        activeCallers.require(caller.userId());
        historyRate.acquire(caller.userId());
        List<ConversationId> ids = conversations.listFor(caller.userId()).stream()
                .map(summary -> summary.conversation().id()).toList();
        return fhirExport.export(caller, ids);
    }

    /**
     * Breaks the glass: grants a doctor who is not a member of a conversation read and reply
     * access to it for {@link Builder#breakGlassDuration(Duration)}, after which it ends by itself
     * (judged from the stored expiry on every check, on every node). While it lasts the doctor
     * may read {@link #history}, {@link #send}, show {@link #typing}, and their live sessions get
     * the conversation's frames, and download its attachments; receipts stay with members. Recorded as
     * {@code conversation.break_glass} (reason code {@code break_glass}) before the grant is
     * stored, with the reason kept sealed in the grant; every admin's sessions are told
     * ({@link io.carechat.messaging.event.BreakGlassGranted}). The caller's reads and sends under
     * the grant are recorded with the reason code {@code break_glass}.
     *
     * @param caller a doctor (by the {@link AccessPolicy#mayBreakGlass} judgment of the stored account)
     * @param conversationId the conversation
     * @param reason why, at least 10 and at most 1,000 characters after trimming
     * @return the grant and the conversation's members
     * @throws ForbiddenException if the policy does not allow the caller (patients and admins by default)
     * @throws BadRequestException if the reason is too short or too long
     * @throws NotFoundException if there is no such conversation
     * @throws ConflictException if the caller is a member of it already
     */
    public BreakGlassAccess breakGlass(Caller caller, ConversationId conversationId, String reason) {
        requireNonNull(caller, "caller");
        requireNonNull(conversationId, "conversationId");
        requireNonNull(reason, "reason");
        ensureOpen();
        activeCallers.require(caller.userId());
        return breakGlass.grant(caller, conversationId, reason);
    }

    /**
     * The caller's break-glass grant on a conversation, while it lasts: what a client shows after
     * a reload (the remaining time, the members).
     *
     * @param caller the grant holder
     * @param conversationId the conversation
     * @return the grant and members, or empty when the caller holds no active grant
     */
    public Optional<BreakGlassAccess> activeBreakGlass(Caller caller, ConversationId conversationId) {
        requireNonNull(caller, "caller");
        requireNonNull(conversationId, "conversationId");
        ensureOpen();
        activeCallers.require(caller.userId());
        return breakGlass.active(caller, conversationId);
    }

    /**
     * A break-glass grant with the reason the doctor gave, for an admin reviewing the emergency
     * access a {@code break_glass} notice announced. Recorded as {@code break_glass.review}.
     *
     * @param caller an admin (judged on the stored account, not the token)
     * @param grantId the grant's id, as the notice names it
     * @return the grant, expired or not, reason opened
     * @throws ForbiddenException if the caller is not a stored, enabled admin
     * @throws NotFoundException if there is no such grant
     */
    public BreakGlassGrant reviewBreakGlass(Caller caller, String grantId) {
        requireNonNull(caller, "caller");
        requireNonNull(grantId, "grantId");
        ensureOpen();
        activeCallers.require(caller.userId());
        return breakGlass.review(caller, grantId);
    }

    /**
     * The users holding an active break-glass grant on a conversation, for transports that
     * address its live frames: answered from memory (grants active at start and announced on the
     * bus since), never from the store, so it may be called on a bus delivery thread.
     *
     * @param conversationId the conversation
     * @return the holders whose grant has not expired, usually none
     */
    public List<UserId> breakGlassHolders(ConversationId conversationId) {
        requireNonNull(conversationId, "conversationId");
        ensureOpen();
        return breakGlassGrants.holders(conversationId);
    }

    /**
     * A page of the caller's access log, newest first: who read or joined the caller's
     * conversations, when, and on what ground ({@code member}, {@code escalation},
     * {@code break_glass}), from the audit trail; the caller's own actions are left out. Never
     * message content. Recorded as {@code access_log.read}.
     *
     * @param caller a patient (by the {@link AccessPolicy#mayReadAccessLog} judgment of the stored account)
     * @param before the cursor of the previous page ({@link AccessLogPage#nextBefore()}), or null
     * @param limit the page size, 1 to {@link Builder#accessLogMaxLimit(int)}, or null for the
     *     smaller of 50 and that maximum
     * @return the page
     * @throws ForbiddenException if the policy does not allow the caller (doctors and admins by default)
     * @throws BadRequestException if the limit or cursor is out of range
     * @throws IllegalStateException if the configured audit sink is not an {@link AuditTrail}
     */
    public AccessLogPage accessLog(Caller caller, @Nullable Long before, @Nullable Integer limit) {
        requireNonNull(caller, "caller");
        ensureOpen();
        activeCallers.require(caller.userId());
        return accessLog.page(caller, before, limit);
    }

    /**
     * Replaces the on-call roster: the doctors an urgent message escalates to
     * ({@link Builder#urgentEscalation}). Recorded as {@code on_call.update}; a refusal as a
     * failure of it.
     *
     * @param caller an admin (judged on the stored account, not the token)
     * @param doctorIds enabled doctors, distinct, at most 50; empty for nobody on call
     * @return the roster now, in the order given
     * @throws ForbiddenException if the caller is not a stored, enabled admin
     * @throws BadRequestException if an id repeats, there are too many, or one is not an enabled
     *     doctor (unknown users included)
     */
    public List<UserId> replaceOnCall(Caller caller, List<UserId> doctorIds) {
        requireNonNull(caller, "caller");
        requireNonNull(doctorIds, "doctorIds");
        ensureOpen();
        activeCallers.require(caller.userId());
        return escalations.replaceOnCall(caller, doctorIds);
    }

    /**
     * The on-call roster.
     *
     * @param caller an admin (judged on the stored account, not the token)
     * @return the doctors on call, in roster order
     * @throws ForbiddenException if the caller is not a stored, enabled admin
     */
    public List<UserId> onCall(Caller caller) {
        requireNonNull(caller, "caller");
        ensureOpen();
        activeCallers.require(caller.userId());
        return escalations.onCall(caller);
    }

    /**
     * The {@code seq} of each message of a conversation that escalated to the on-call doctors,
     * for a client that marks them.
     *
     * @param caller a member
     * @param conversationId the conversation
     * @return the {@code seq} values, ascending, at most 1,000
     * @throws NotFoundException if the caller is not a member
     */
    public List<Long> escalatedSeqs(Caller caller, ConversationId conversationId) {
        requireNonNull(caller, "caller");
        requireNonNull(conversationId, "conversationId");
        ensureOpen();
        activeCallers.require(caller.userId());
        return escalations.escalatedSeqs(caller, conversationId);
    }

    /**
     * Handles the urgent messages due for escalation now, as the scan of
     * {@link Builder#urgentEscalation} does on its timer: each is claimed first, so running this
     * on several nodes at once still escalates each message once.
     *
     * @return how many escalations this call ended, whatever their outcome
     */
    public int escalateDue() {
        ensureOpen();
        return escalations.escalateDue();
    }

    /**
     * How long an urgent message of a patient waits for a doctor member to read it before it
     * escalates, when this facade schedules escalations.
     *
     * @return the delay, or empty when {@link Builder#urgentEscalation} was not set
     */
    public Optional<Duration> escalationDelay() {
        return Optional.ofNullable(escalations.delay());
    }

    /**
     * How long a break-glass grant lasts.
     *
     * @return the duration
     */
    public Duration breakGlassDuration() {
        return breakGlass.duration();
    }

    /**
     * The limits in force.
     *
     * @return the limits
     */
    public MessagingLimits limits() {
        return limits;
    }

    /**
     * The clock every time stamp comes from.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Accounts and sessions: registration, login, refresh, logout, the role workflow and user
     * management.
     *
     * @return the account service
     * @throws IllegalStateException if the builder was given no {@link Builder#tokens(TokenSettings)}
     */
    public Accounts accounts() {
        if (accounts == null) {
            throw new IllegalStateException("accounts need Messaging.builder().tokens(...)");
        }
        return accounts;
    }

    /**
     * The access-token service, which transports use to turn a bearer token into a {@link Caller}
     * and the example server to serve {@code /.well-known/jwks.json}.
     *
     * @return the token service
     * @throws IllegalStateException if the builder was given no {@link Builder#tokens(TokenSettings)}
     */
    public AccessTokens tokens() {
        if (accessTokens == null) {
            throw new IllegalStateException("tokens need Messaging.builder().tokens(...)");
        }
        return accessTokens;
    }

    /**
     * What offline notifications did since this facade was built ({@link Builder#notifier}): notices
     * delivered, notifier failures, storage failures. All zero when no notifier is configured.
     *
     * @return the counts
     */
    public NotificationStats notificationStats() {
        return offlineNotifications.stats();
    }

    /**
     * Where this facade reports its metrics, for the transports built on it (the hub records its
     * sockets, fan-out and bus lag here).
     *
     * @return the hooks given to {@link Builder#meterRegistry} or {@link Builder#metrics}, or
     *     {@link MessagingMetrics#NONE}
     */
    public MessagingMetrics metrics() {
        return metrics;
    }

    /**
     * Stops delivering events to the subscribers this facade handed out and to its own presence
     * registry. Idempotent. The stores and the bus stay open. Afterwards every operation but
     * {@link #limits()} and {@link #clock()} throws {@link IllegalStateException}.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (EventBus.Subscription subscription : List.copyOf(subscriptions)) {
                subscription.close();
            }
            if (presenceRefresh != null) {
                presenceRefresh.cancel(false);
            }
            if (notificationCheck != null) {
                notificationCheck.cancel(false);
            }
            offlineNotifications.close();
            if (escalationScan != null) {
                escalationScan.cancel(false);
            }
            relay.close();
            breakGlassGrants.close();
            presence.close();
            activeCallers.close();
            membership.close();
            userRoles.close();
            if (revocations != null) {
                revocations.close();
            }
            if (refusalFlush != null) {
                refusalFlush.cancel(false);
            }
            if (refusals != null) {
                refusals.close();
            }
            LOG.info("CareChat messaging closed");
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("Messaging is closed");
        }
    }

}

package io.carechat.messaging.memory;

import io.carechat.messaging.spi.AttachmentStore;
import io.carechat.messaging.spi.AuditTrail;
import io.carechat.messaging.spi.BreakGlassStore;
import io.carechat.messaging.spi.EscalationStore;
import io.carechat.messaging.spi.ConversationStore;
import io.carechat.messaging.spi.LegalHoldStore;
import io.carechat.messaging.spi.JobLeaseStore;
import io.carechat.messaging.spi.NotificationStore;
import io.carechat.messaging.spi.PresenceStore;
import io.carechat.messaging.spi.MessageBodyStore;
import io.carechat.messaging.spi.MessageStore;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.spi.ReceiptStore;
import io.carechat.messaging.spi.RefreshTokenStore;
import io.carechat.messaging.spi.RoleRequestStore;
import io.carechat.messaging.spi.UserStore;

/**
 * Every store in memory, the compliance stores included: for tests, demos and single-node
 * embedding where nothing needs to survive a restart. It passes the conformance kit and is the
 * reference for what the SPIs mean.
 *
 * <p>How it keeps the rules: each conversation has its own lock, held while a message takes the
 * next {@code seq}, its sender's idempotency key and every other member's unread counter, so
 * {@code seq} is gapless and in order and counters never disagree with history. Receipts move under
 * the same lock, only rise, and are clamped to the last {@code seq}; a read recomputes the reader's
 * unread count as the messages others sent after it. A sender's {@code clientMsgId} is unique
 * across all conversations. Usernames and e-mail addresses are unique without regard to case
 * ({@link java.util.Locale#ROOT} lower case).
 *
 * <p>Thread-safe. Lifecycle: create one per application (or per test); it holds everything on the
 * heap until it is garbage collected, and needs no closing.
 */
public final class InMemoryStorage implements MessagingStorage {
    private final UserStore users = new InMemoryUserStore();
    private final ConversationStore conversations;
    private final InMemoryMessageStore messages;
    private final ReceiptStore receipts;
    private final RoleRequestStore roleRequests = new InMemoryRoleRequestStore();
    private final RefreshTokenStore refreshTokens = new InMemoryRefreshTokenStore();
    private final AttachmentStore attachments = new InMemoryAttachmentStore();
    private final LegalHoldStore legalHolds = new InMemoryLegalHoldStore();
    private final PresenceStore presence = new InMemoryPresenceStore();
    private final NotificationStore notifications = new InMemoryNotificationStore();
    private final JobLeaseStore jobLeases = new InMemoryJobLeaseStore();
    private final AuditTrail auditTrail = new InMemoryAuditSink();
    private final InMemoryBreakGlassStore breakGlass = new InMemoryBreakGlassStore();
    private final InMemoryEscalationStore escalations;

    /** Creates empty storage. */
    public InMemoryStorage() {
        ConversationRegistry registry = new ConversationRegistry();
        this.conversations = new InMemoryConversationStore(registry);
        this.escalations = new InMemoryEscalationStore(registry);
        this.messages = new InMemoryMessageStore(registry, breakGlass, escalations);
        this.receipts = new InMemoryReceiptStore(registry);
    }

    @Override
    public UserStore users() {
        return users;
    }

    @Override
    public ConversationStore conversations() {
        return conversations;
    }

    @Override
    public MessageStore messages() {
        return messages;
    }

    @Override
    public ReceiptStore receipts() {
        return receipts;
    }

    @Override
    public RoleRequestStore roleRequests() {
        return roleRequests;
    }

    @Override
    public RefreshTokenStore refreshTokens() {
        return refreshTokens;
    }

    @Override
    public AttachmentStore attachments() {
        return attachments;
    }

    /** The same store as {@link #messages()}, seen through its maintenance SPI. */
    @Override
    public MessageBodyStore messageBodies() {
        return messages;
    }

    @Override
    public LegalHoldStore legalHolds() {
        return legalHolds;
    }

    /** An {@link InMemoryAuditSink} of its own, as empty as the storage at first. */
    @Override
    public AuditTrail auditTrail() {
        return auditTrail;
    }

    @Override
    public PresenceStore presence() {
        return presence;
    }

    @Override
    public BreakGlassStore breakGlass() {
        return breakGlass;
    }

    @Override
    public NotificationStore notifications() {
        return notifications;
    }

    @Override
    public JobLeaseStore jobLeases() {
        return jobLeases;
    }

    @Override
    public EscalationStore escalations() {
        return escalations;
    }
}

package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

/**
 * Storage that hands every store of another storage through: the base for a decorator that
 * replaces or wraps one store (to meter it, to time it, to fail it in a test) and keeps the rest.
 * Override the accessor of that store; every other accessor returns the wrapped storage's.
 *
 * <pre>{@code
 * MessagingStorage metered = new ForwardingStorage(storage) {
 *     private final MessageStore messages = new MeteredMessageStore(storage.messages(), registry);
 *
 *     @Override
 *     public MessageStore messages() {
 *         return messages;
 *     }
 * };
 * }</pre>
 *
 * <p>Thread-safe as the storage it wraps. Lifecycle: it holds nothing of its own; the wrapped
 * storage's owner closes that storage.
 */
public class ForwardingStorage implements MessagingStorage {
    private final MessagingStorage delegate;

    /**
     * Wraps a storage.
     *
     * @param delegate the storage whose stores are handed through
     */
    public ForwardingStorage(MessagingStorage delegate) {
        this.delegate = requireNonNull(delegate, "delegate");
    }

    @Override
    public UserStore users() {
        return delegate.users();
    }

    @Override
    public ConversationStore conversations() {
        return delegate.conversations();
    }

    @Override
    public MessageStore messages() {
        return delegate.messages();
    }

    @Override
    public ReceiptStore receipts() {
        return delegate.receipts();
    }

    @Override
    public RoleRequestStore roleRequests() {
        return delegate.roleRequests();
    }

    @Override
    public RefreshTokenStore refreshTokens() {
        return delegate.refreshTokens();
    }

    @Override
    public AttachmentStore attachments() {
        return delegate.attachments();
    }

    @Override
    public MessageBodyStore messageBodies() {
        return delegate.messageBodies();
    }

    @Override
    public LegalHoldStore legalHolds() {
        return delegate.legalHolds();
    }

    @Override
    public AuditTrail auditTrail() {
        return delegate.auditTrail();
    }

    @Override
    public PresenceStore presence() {
        return delegate.presence();
    }

    @Override
    public BreakGlassStore breakGlass() {
        return delegate.breakGlass();
    }

    @Override
    public NotificationStore notifications() {
        return delegate.notifications();
    }

    @Override
    public JobLeaseStore jobLeases() {
        return delegate.jobLeases();
    }

    @Override
    public EscalationStore escalations() {
        return delegate.escalations();
    }
}

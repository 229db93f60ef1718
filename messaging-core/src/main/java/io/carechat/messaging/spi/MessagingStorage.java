package io.carechat.messaging.spi;

/**
 * All the stores one storage technology provides, so an application wires storage with one
 * builder call and the jobs (key rotation, retention) and the audit trail find theirs in the same
 * place: the stores of the request path, and the compliance stores (attachments, message bodies
 * as stored, legal holds, the audit trail). Every store is required; each accessor returns the
 * same instance every time.
 *
 * <p>Implementations are thread-safe, and pass the conformance kit in the {@code messaging-tck}
 * artifact ({@code io.carechat.messaging.tck}). Reference implementations: {@code InMemoryStorage}
 * and the JDBC adapter's {@code JdbcStorage}. To replace or watch one store of an existing
 * storage, extend {@link ForwardingStorage}.
 *
 * <p>Lifecycle: the application creates the storage, hands it to the builder, and closes whatever
 * it holds after closing {@link io.carechat.messaging.Messaging}.
 */
public interface MessagingStorage {

    /**
     * Accounts and password hashes.
     *
     * @return the user store
     */
    UserStore users();

    /**
     * Conversations and members.
     *
     * @return the conversation store
     */
    ConversationStore conversations();

    /**
     * Messages.
     *
     * @return the message store
     */
    MessageStore messages();

    /**
     * Receipts and unread counts.
     *
     * @return the receipt store
     */
    ReceiptStore receipts();

    /**
     * Role requests.
     *
     * @return the role request store
     */
    RoleRequestStore roleRequests();

    /**
     * Refresh tokens, as hashes. {@code Messaging} uses this store for its accounts unless the
     * builder is given another one.
     *
     * @return the refresh token store
     */
    RefreshTokenStore refreshTokens();

    /**
     * Uploaded attachments, their sealed content and the conversations that refer to them, for
     * {@code Messaging.builder().attachmentStore(...)} and the retention job.
     *
     * @return the attachment store
     */
    AttachmentStore attachments();

    /**
     * The message bodies as stored, for the key rotation and retention jobs. Usually the same
     * object as {@link #messages()}, seen through its maintenance SPI.
     *
     * @return the message body store
     */
    MessageBodyStore messageBodies();

    /**
     * Legal holds, which keep the retention job from purging what they cover.
     *
     * @return the legal hold store
     */
    LegalHoldStore legalHolds();

    /**
     * The tamper-evident audit trail kept with the data, for
     * {@code Messaging.builder().auditSink(...)}. A store whose messages and trail share a
     * transaction keeps a send and its audit event together when it is handed this trail
     * ({@link MessageStore#append(NewMessage, AuditEvent, AuditSink)}).
     *
     * @return the audit trail
     */
    AuditTrail auditTrail();

    /**
     * Cluster-wide presence under a lease, for {@code Messaging.builder().clusterPresence(...)}.
     *
     * @return the presence store
     */
    PresenceStore presence();

    /**
     * The break-glass grants: emergency access of doctors to conversations they are not members
     * of. The {@link #messages()} store of the same storage accepts a grant holder's message while
     * the grant holds.
     *
     * @return the store
     */
    BreakGlassStore breakGlass();

    /**
     * The schedule of offline notifications: per user, whether a notice is pending, when it is due
     * and when the last one was sent, for {@code Messaging.builder().notifier(...)}. Nodes sharing
     * this storage notify each user once.
     *
     * @return the store
     */
    NotificationStore notifications();

    /**
     * The on-call roster and the escalations of patients' urgent messages. The {@link #messages()}
     * store of the same storage writes an escalation in the transaction that appends a message
     * whose {@link NewMessage#escalateAt()} is set.
     *
     * @return the store
     */
    EscalationStore escalations();

    /**
     * The leases and progress of the background jobs, for {@code JobScheduler}: nodes sharing this
     * storage run each job on one node at a time and resume a run a dead node left midway. A
     * default method so that storages written before it still compile; the reference storages
     * implement it.
     *
     * @return the store
     * @throws UnsupportedOperationException if this storage keeps no job leases
     */
    default JobLeaseStore jobLeases() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no job leases");
    }
}

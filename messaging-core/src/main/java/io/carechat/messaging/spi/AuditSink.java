package io.carechat.messaging.spi;

/**
 * Where CareChat writes its audit trail: every login, token rejection, registration, role change
 * and other access to protected data, as metadata only (never a message body, password or token).
 *
 * <p>CareChat fails closed: when {@link #record(AuditEvent)} throws, the action being audited does
 * not complete, and its caller gets an {@link io.carechat.messaging.error.UnavailableException} (or, for a
 * refused credential, the refusal it would have got anyway). Implementations are thread-safe and
 * return only once the event is durably kept.
 *
 * <p>Lifecycle: the application creates the sink, hands it to the builder, and closes whatever it
 * holds after closing {@link io.carechat.messaging.Messaging}.
 */
@FunctionalInterface
public interface AuditSink {

    /**
     * Keeps one event.
     *
     * @param event the event
     * @throws RuntimeException if the event could not be kept; the audited action is then refused
     */
    void record(AuditEvent event);
}

/**
 * CareChat's event bus on NATS JetStream, through the official {@code jnats} client. Exports its
 * API package only; {@code internal} stays closed.
 */
module io.carechat.messaging.nats {
    requires transitive io.carechat.messaging;
    requires transitive io.nats.jnats;
    requires org.slf4j;

    exports io.carechat.messaging.nats;
}

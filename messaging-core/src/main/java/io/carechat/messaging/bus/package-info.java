/**
 * Building blocks for event buses that cross processes, shared by the PostgreSQL bus
 * (messaging-jdbc) and the NATS bus (messaging-nats): {@link io.carechat.messaging.bus.EventPayloads}
 * encodes an event as the ids it names and never its content, {@link
 * io.carechat.messaging.bus.EventRehydrator} reads what another node's payload names back from the
 * store, and {@link io.carechat.messaging.bus.EventDispatcher} delivers to the local listeners on
 * one thread, replacing what it cannot deliver with a {@link io.carechat.messaging.event.Resync}.
 *
 * <p>For writers of {@link io.carechat.messaging.spi.EventBus} adapters, not for applications; the
 * payload format may change between versions, so every node of a cluster runs the same version.
 */
@NullMarked
package io.carechat.messaging.bus;

import org.jspecify.annotations.NullMarked;

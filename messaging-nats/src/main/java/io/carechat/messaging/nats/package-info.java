/**
 * A CareChat event bus for clusters on NATS JetStream: {@link io.carechat.messaging.nats.NatsEventBus}.
 * Each node publishes the events it commits, by ids only, to one stream and reads the other nodes'
 * events with its own ordered consumer; what the ids leave out it reads from the shared store.
 */
@NullMarked
package io.carechat.messaging.nats;

import org.jspecify.annotations.NullMarked;

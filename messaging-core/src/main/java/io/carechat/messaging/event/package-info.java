/**
 * Events that CareChat publishes after they are committed: new messages, receipts, presence,
 * typing, role requests for admins, and revoked sessions; and {@link io.carechat.messaging.event.Resync}
 * when a bus may have lost some of them. They travel on the {@link io.carechat.messaging.spi.EventBus}
 * by ids, never with a message body; transports subscribe to them through the
 * {@link io.carechat.messaging.Messaging} facade, which opens each committed message, to push
 * frames to live sockets on every node. The set is closed: code that handles every kind implements
 * {@link io.carechat.messaging.event.MessagingEvent.Visitor}, so the compiler names what a new kind
 * would leave unhandled.
 */
@NullMarked
package io.carechat.messaging.event;

import org.jspecify.annotations.NullMarked;

/**
 * Events that CareChat publishes after they are committed: new messages, receipts, presence,
 * typing, role requests for admins, and revoked sessions; and {@link io.carechat.messaging.event.Resync}
 * when a bus may have lost some of them. Transports subscribe to them through the
 * {@link io.carechat.messaging.spi.EventBus} to push frames to live sockets on every node.
 */
@NullMarked
package io.carechat.messaging.event;

import org.jspecify.annotations.NullMarked;

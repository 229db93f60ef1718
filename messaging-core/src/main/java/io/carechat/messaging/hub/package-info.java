/**
 * The transport-agnostic real-time hub: sessions per user, authentication, fan-out of committed
 * events, backlog delivery, and every limit of the WebSocket contract. A transport adapter
 * implements the narrow {@link io.carechat.messaging.hub.Connection} SPI for each socket, calls
 * {@link io.carechat.messaging.hub.Hub#open(Connection, String)}, and feeds the returned
 * {@link io.carechat.messaging.hub.HubSession} the socket's text frames and its close. Nothing the
 * hub does on a transport's thread blocks.
 */
@NullMarked
package io.carechat.messaging.hub;

import org.jspecify.annotations.NullMarked;

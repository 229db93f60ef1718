/**
 * The WebSocket wire protocol of contract version 1, independent of any transport: typed
 * {@link io.carechat.messaging.protocol.ClientFrame client frames} and
 * {@link io.carechat.messaging.protocol.ServerFrame server frames}, two closed sets that code
 * handles exhaustively through their visitors, the views of domain values as they travel, and the
 * {@link io.carechat.messaging.protocol.ProtocolCodec} that turns frames into JSON text and back.
 * Transport adapters, the hub and the Java client all speak through it.
 */
@NullMarked
package io.carechat.messaging.protocol;

import org.jspecify.annotations.NullMarked;

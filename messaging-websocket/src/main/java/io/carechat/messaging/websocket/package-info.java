/**
 * The WebSocket transport of CareChat: {@link io.carechat.messaging.websocket.CareChatWebSocketServer},
 * a server adapter on Java-WebSocket that feeds every socket to the core's
 * {@link io.carechat.messaging.hub.Hub}, and {@link io.carechat.messaging.websocket.client.CareChatClient},
 * a Java client for server-side integrations, bots and tests.
 */
@NullMarked
package io.carechat.messaging.websocket;

import org.jspecify.annotations.NullMarked;

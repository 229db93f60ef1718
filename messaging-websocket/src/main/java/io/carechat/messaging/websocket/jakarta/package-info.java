/**
 * The Jakarta WebSocket (JSR 356) adapter of CareChat: {@link
 * io.carechat.messaging.websocket.jakarta.CareChatEndpointConfig} puts the core's {@link
 * io.carechat.messaging.hub.Hub} behind any Jakarta WebSocket 2.1 container (Jetty 12, Tomcat 10.1
 * and 11, and the application servers built on them), on the application's own port. Each socket is
 * served by a {@link io.carechat.messaging.websocket.jakarta.CareChatEndpoint}. The container
 * provides {@code jakarta.websocket-api} and {@code jakarta.servlet-api}; this module only compiles
 * against them.
 */
@NullMarked
package io.carechat.messaging.websocket.jakarta;

import org.jspecify.annotations.NullMarked;

/**
 * Internals of the WebSocket server. Not API: anything here may change without notice. They adapt
 * Java-WebSocket sockets to the hub: {@code SocketConnection} and the metered channel, frame-size
 * draft and write rearming around it.
 */
@NullMarked
package io.carechat.messaging.websocket.internal;

import org.jspecify.annotations.NullMarked;

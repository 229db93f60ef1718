/**
 * Internals of the WebSocket transport. Not API: anything here may change without notice. The
 * server side adapts Java-WebSocket sockets to the hub ({@code SocketConnection} and the metered
 * channel, frame-size draft and write rearming around it); the client side holds the parts of
 * {@code CareChatClient}: {@code ClientConnection} (connection and reconnect),
 * {@code ClientSocket} (one attempt's socket), {@code PendingRequests} (request correlation and
 * retry), {@code AckBatcher} (acknowledgements) and {@code ListenerDispatch} (listener calls).
 */
@NullMarked
package io.carechat.messaging.websocket.internal;

import org.jspecify.annotations.NullMarked;

/**
 * The CareChat client on the JDK's {@code java.net.http.WebSocket}: {@link
 * io.carechat.messaging.websocket.client.CareChatClient} and the {@link
 * io.carechat.messaging.websocket.client.CareChatListener} it calls, for server-side integrations,
 * bots and tests. The client's parts are package-private: {@code ClientConnection} (connection and
 * reconnect), {@code ClientSocket} (one attempt's socket), {@code PendingRequests} (request
 * correlation and retry), {@code AckBatcher} and {@code DeliveryTracker} (acknowledgements),
 * {@code ListenerDispatch} (listener calls) and {@code Backoff} (reconnect delays).
 */
@NullMarked
package io.carechat.messaging.websocket.client;

import org.jspecify.annotations.NullMarked;

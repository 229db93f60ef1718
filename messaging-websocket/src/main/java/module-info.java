/**
 * CareChat's WebSocket transports: Java-WebSocket on its own port, any Jakarta WebSocket (JSR 356)
 * container on the application's port, and a Java client. The Jakarta APIs are the container's
 * ({@code requires static}); {@code internal} stays closed.
 */
module io.carechat.messaging.websocket {
    requires transitive io.carechat.messaging;
    requires transitive org.java_websocket;
    requires static jakarta.websocket;
    requires static jakarta.websocket.client;
    requires static jakarta.servlet;
    requires java.net.http;
    requires org.slf4j;

    exports io.carechat.messaging.websocket;
    exports io.carechat.messaging.websocket.client;
    exports io.carechat.messaging.websocket.jakarta;
}

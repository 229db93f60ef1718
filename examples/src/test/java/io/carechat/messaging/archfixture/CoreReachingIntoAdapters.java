package io.carechat.messaging.archfixture;

import io.carechat.messaging.jdbc.JdbcStorage;
import io.carechat.messaging.websocket.internal.SocketConnection;

/**
 * A class in a core package that breaks two rules on purpose: it uses an adapter, and an
 * adapter's internal class. {@code ArchitectureTest} proves the rules catch it. Never used.
 */
public final class CoreReachingIntoAdapters {
    private CoreReachingIntoAdapters() {}

    static Class<?> adapter() {
        return JdbcStorage.class;
    }

    static Class<?> adapterInternal() {
        return SocketConnection.class;
    }
}

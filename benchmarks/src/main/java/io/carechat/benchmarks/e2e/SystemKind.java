package io.carechat.benchmarks.e2e;

/**
 * The systems one run measures, in the order it runs them: CareChat first, so a run short of time
 * still measures it. Immutable.
 */
enum SystemKind {
    /** CareChat's demo server on its embedded H2 file database. */
    CARECHAT_H2("CareChat on H2 (file)"),
    /** CareChat's demo server on PostgreSQL. */
    CARECHAT_POSTGRES("CareChat on PostgreSQL"),
    /** The Socket.IO 4 relay on Node.js: the peer. */
    SOCKET_IO_RELAY("Socket.IO 4 relay (Node.js)"),
    /** The bare Java-WebSocket relay: the transport ceiling. */
    JAVA_WEBSOCKET_RELAY("Java-WebSocket relay");

    final String label;

    SystemKind(String label) {
        this.label = label;
    }
}

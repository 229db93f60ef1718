package io.carechat.benchmarks.e2e;

/**
 * The few Engine.IO v4 and Socket.IO v5 packets the generator speaks over a plain WebSocket
 * ({@code /socket.io/?EIO=4&transport=websocket}): the server's open packet {@code 0{...}}, the
 * namespace connect {@code 40} and its answer {@code 40{...}}, events {@code 42["event",payload]},
 * and the server's ping {@code 2}, answered with pong {@code 3}. Stateless and thread-safe.
 */
final class EngineIo {
    /** The client's request to join the default namespace. */
    static final String CONNECT = "40";
    /** The client's answer to a server ping. */
    static final String PONG = "3";

    /** The kinds of packet the generator tells apart. */
    enum Kind {
        /** Engine.IO open, with the session's parameters. */
        OPEN,
        /** Engine.IO ping from the server. */
        PING,
        /** Socket.IO connect to the default namespace accepted. */
        CONNECTED,
        /** Socket.IO event. */
        EVENT,
        /** Socket.IO connect refused. */
        CONNECT_ERROR,
        /** Engine.IO close. */
        CLOSE,
        /** Anything else. */
        OTHER
    }

    private EngineIo() {}

    /**
     * @param packet a text frame from the server
     * @return what it is
     */
    static Kind kind(CharSequence packet) {
        if (packet.length() == 0) {
            return Kind.OTHER;
        }
        switch (packet.charAt(0)) {
            case '0':
                return Kind.OPEN;
            case '1':
                return Kind.CLOSE;
            case '2':
                return packet.length() == 1 ? Kind.PING : Kind.OTHER;
            case '4':
                return socketIoKind(packet);
            default:
                return Kind.OTHER;
        }
    }

    private static Kind socketIoKind(CharSequence packet) {
        if (packet.length() < 2) {
            return Kind.OTHER;
        }
        switch (packet.charAt(1)) {
            case '0':
                return Kind.CONNECTED;
            case '2':
                return Kind.EVENT;
            case '4':
                return Kind.CONNECT_ERROR;
            default:
                return Kind.OTHER;
        }
    }

    /**
     * Encodes an event whose single argument is a string that needs no JSON escaping (the
     * benchmark's bodies are letters, digits, spaces and colons).
     *
     * @param event the event name
     * @param text the argument
     * @return {@code 42["event","text"]}
     * @throws IllegalArgumentException if either would need escaping
     */
    static String event(String event, String text) {
        requirePlain(event);
        requirePlain(text);
        return "42[\"" + event + "\",\"" + text + "\"]";
    }

    /**
     * @param packet an event packet
     * @return the event's name, or null if the packet is not an event with a name
     */
    static String eventName(CharSequence packet) {
        String text = packet.toString();
        if (kind(text) != Kind.EVENT || !text.startsWith("42[\"")) {
            return null;
        }
        int end = text.indexOf('"', 4);
        return end < 0 ? null : text.substring(4, end);
    }

    private static void requirePlain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20) {
                throw new IllegalArgumentException("text needs JSON escaping at index " + i);
            }
        }
    }
}

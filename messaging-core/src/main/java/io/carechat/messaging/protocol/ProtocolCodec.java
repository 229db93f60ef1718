package io.carechat.messaging.protocol;

import static java.util.Objects.requireNonNull;

/**
 * Turns frames of the wire contract into JSON text and back, on Jackson.
 *
 * <p><b>Client frames are decoded strictly.</b> {@link #decodeClient(String)} enforces exactly
 * this, and refuses anything else with a {@link FrameException} ({@code bad_request}) that carries
 * the frame's {@code ref} whenever a well-formed one could be read, even from text that is not
 * valid JSON as long as the {@code ref} came before the fault:
 * <ul>
 *   <li>the text is at most {@link ProtocolLimits#maxFrameChars()} characters (checked before
 *       parsing), is one JSON value with nothing after it, and that value is an object;</li>
 *   <li>parsing is bounded by Jackson's
 *       {@link com.fasterxml.jackson.core.StreamReadConstraints}: nesting depth at most
 *       {@link ProtocolLimits#maxNestingDepth()}, numbers at most {@value #MAX_NUMBER_CHARS}
 *       characters, strings and the document at most the frame bound; no key appears twice in one
 *       object
 *       ({@link com.fasterxml.jackson.core.StreamReadFeature#STRICT_DUPLICATE_DETECTION}); no NaN,
 *       comments or other non-standard JSON;</li>
 *   <li>{@code ref}, when present, is a string of at most {@value ProtocolLimits#MAX_REF_CHARS}
 *       characters; {@code type} is a string naming one of the eleven client frames;</li>
 *   <li>every field the type needs is present and of its JSON type; no coercion ever happens, since
 *       fields are read from the tree by their node type: {@code "5"} is not a number, {@code 5.0}
 *       and {@code 5e0} are not whole numbers, {@code 1} is not a string or a boolean;</li>
 *   <li>ids ({@code conversationId}, {@code with}, attachment ids) are well-formed ids: 1 to 64
 *       characters from {@code [A-Za-z0-9_-]};</li>
 *   <li>{@code seq} and {@code beforeSeq} are non-negative whole numbers that fit in a
 *       {@code long}; {@code limit} is a whole number from 1 to
 *       {@link ProtocolLimits#maxHistoryLimit()};</li>
 *   <li>{@code clientMsgId} has 1 to {@link ProtocolLimits#maxClientMsgIdChars()} characters;
 *       {@code body} at most {@link ProtocolLimits#maxBodyChars()} code points; {@code token} 1 to
 *       {@link ProtocolLimits#maxTokenChars()} characters; {@code attachments} at most
 *       {@link ProtocolLimits#maxAttachments()} ids;</li>
 *   <li>{@code priority} is {@code normal} or {@code urgent}; {@code status} is
 *       {@code available}, {@code busy} or {@code away}.</li>
 * </ul>
 * A JSON {@code null} in an optional field means the field is absent; in a required field it is
 * missing. Fields the type does not use are ignored, so clients written against a later minor
 * version keep working (they still count against the size and depth bounds).
 *
 * <p><b>Server frames are encoded</b> with {@code type} first, the message object exactly as the
 * contract's "Message object", instants as ISO-8601 UTC text and enums by their lower-case wire
 * names (roles keep the upper-case names the tokens use). {@link #encode(ClientFrame)} and
 * {@link #decodeServer(String)} serve clients such as the Java client and tests; server frames are
 * decoded with the same type checks but without the client-side bounds.
 *
 * <p>This class is the entry point; the work is split between a codec for client frames, one for
 * server frames, and the JSON plumbing and value objects they share. Both frame codecs encode
 * through the frames' visitors, so a frame type they cannot write fails to compile.
 *
 * <p>Thread-safe and immutable once built: one instance serves every session.
 */
public final class ProtocolCodec {
    /** The longest number accepted, in characters: enough for any {@code long} with its sign. */
    public static final int MAX_NUMBER_CHARS = 20;

    private final ProtocolLimits limits;
    private final ClientFrameCodec clientFrames;
    private final ServerFrameCodec serverFrames;

    /**
     * Creates a codec.
     *
     * @param limits the bounds for client frames
     */
    public ProtocolCodec(ProtocolLimits limits) {
        this.limits = requireNonNull(limits, "limits");
        FrameJson json = new FrameJson(limits);
        this.clientFrames = new ClientFrameCodec(limits, json);
        this.serverFrames = new ServerFrameCodec(json);
    }

    /**
     * A codec with {@link ProtocolLimits#defaults()}.
     *
     * @return the codec
     */
    public static ProtocolCodec withDefaults() {
        return new ProtocolCodec(ProtocolLimits.defaults());
    }

    /**
     * The bounds this codec enforces.
     *
     * @return the limits
     */
    public ProtocolLimits limits() {
        return limits;
    }

    /**
     * Decodes a client frame, enforcing everything the class javadoc lists.
     *
     * @param text the frame's text
     * @return the typed frame
     * @throws FrameException when the frame breaks any rule, with the ref when it could be read
     */
    public ClientFrame decodeClient(String text) {
        return clientFrames.decode(requireNonNull(text, "text"));
    }

    /**
     * Encodes a client frame, {@code type} first, for clients and tests.
     *
     * @param frame the frame
     * @return its JSON text
     */
    public String encode(ClientFrame frame) {
        return clientFrames.encode(requireNonNull(frame, "frame"));
    }

    /**
     * Encodes a server frame, {@code type} first.
     *
     * @param frame the frame
     * @return its JSON text
     */
    public String encode(ServerFrame frame) {
        return serverFrames.encode(requireNonNull(frame, "frame"));
    }

    /**
     * Decodes a server frame, for clients and tests. Field types are checked as strictly as for
     * client frames; the client-side length bounds do not apply. Unknown fields are ignored.
     *
     * @param text the frame's text
     * @return the typed frame
     * @throws FrameException when the text is not a server frame of this contract
     */
    public ServerFrame decodeServer(String text) {
        return serverFrames.decode(requireNonNull(text, "text"));
    }
}

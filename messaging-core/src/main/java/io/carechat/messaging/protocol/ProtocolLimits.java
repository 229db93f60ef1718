package io.carechat.messaging.protocol;

import io.carechat.messaging.model.MessagingLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * The bounds the {@link ProtocolCodec} enforces on client frames. Immutable and thread-safe.
 *
 * @param maxFrameChars the longest frame text, in UTF-16 characters (default 65,536; the transport
 *     enforces the contract's 64 KiB payload limit in bytes before buffering, this is the codec's
 *     own backstop)
 * @param maxBodyChars the longest message body, in Unicode code points (default 8,000)
 * @param maxClientMsgIdChars the longest {@code clientMsgId} (default 64)
 * @param maxTokenChars the longest access token in an {@code auth} frame (default 8,192)
 * @param maxAttachments the most attachment ids in one {@code send} (default 10; 0 allows none)
 * @param maxHistoryLimit the largest {@code limit} of a {@code history} request (default 100)
 * @param maxNestingDepth the deepest nesting of arrays and objects in a frame (default 8; frames of
 *     the contract need 2)
 */
public record ProtocolLimits(
        int maxFrameChars,
        int maxBodyChars,
        int maxClientMsgIdChars,
        int maxTokenChars,
        int maxAttachments,
        int maxHistoryLimit,
        int maxNestingDepth) {

    /** The longest {@code ref} a client may send, fixed by the contract. */
    public static final int MAX_REF_CHARS = 64;

    /** Checks that every bound is positive (the attachment bound may be 0). */
    public ProtocolLimits {
        List<String> problems = new ArrayList<>();
        positive(problems, "maxFrameChars", maxFrameChars);
        positive(problems, "maxBodyChars", maxBodyChars);
        positive(problems, "maxClientMsgIdChars", maxClientMsgIdChars);
        positive(problems, "maxTokenChars", maxTokenChars);
        if (maxAttachments < 0) {
            problems.add("maxAttachments must not be negative");
        }
        positive(problems, "maxHistoryLimit", maxHistoryLimit);
        positive(problems, "maxNestingDepth", maxNestingDepth);
        if (maxNestingDepth < 2) {
            problems.add("maxNestingDepth must be at least 2, the depth of a send frame with attachments");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /**
     * The defaults of the contract.
     *
     * @return the limits
     */
    public static ProtocolLimits defaults() {
        return from(MessagingLimits.defaults());
    }

    /**
     * The codec bounds that match a facade's limits, so the codec refuses early what the facade
     * would refuse anyway; the frame, token and nesting bounds take their defaults.
     *
     * @param limits the facade's limits
     * @return the limits
     */
    public static ProtocolLimits from(MessagingLimits limits) {
        return new ProtocolLimits(64 * 1024, limits.maxBodyChars(), limits.maxClientMsgIdLength(), 8192,
                limits.maxAttachmentsPerMessage(), limits.maxHistoryLimit(), 8);
    }

    /**
     * A copy with another frame length bound.
     *
     * @param value the longest frame text in characters
     * @return the changed copy
     */
    public ProtocolLimits withMaxFrameChars(int value) {
        return new ProtocolLimits(value, maxBodyChars, maxClientMsgIdChars, maxTokenChars, maxAttachments,
                maxHistoryLimit, maxNestingDepth);
    }

    /**
     * A copy with another token length bound.
     *
     * @param value the longest token in characters
     * @return the changed copy
     */
    public ProtocolLimits withMaxTokenChars(int value) {
        return new ProtocolLimits(maxFrameChars, maxBodyChars, maxClientMsgIdChars, value, maxAttachments,
                maxHistoryLimit, maxNestingDepth);
    }

    private static void positive(List<String> problems, String name, int value) {
        if (value < 1) {
            problems.add(name + " must be positive");
        }
    }
}

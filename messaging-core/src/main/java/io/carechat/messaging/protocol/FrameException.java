package io.carechat.messaging.protocol;

import io.carechat.messaging.error.BadRequestException;
import org.jspecify.annotations.Nullable;

/**
 * A frame that the codec refused: not JSON, not an object, an unknown {@code type}, a missing or
 * mistyped field, or a value out of its bounds. It is a {@link BadRequestException}, so it maps to
 * {@code error bad_request}; the session that received it stays open.
 *
 * <p>It carries the frame's {@code ref} when the codec could read a well-formed one, so the error
 * answers the right request. Its message names the field at fault but never repeats a value, so it
 * is safe to send to the client and to log. It keeps no cause: the JSON parser's own messages may
 * quote the frame's text.
 */
public final class FrameException extends BadRequestException {
    private final @Nullable String ref;

    /**
     * Creates the exception.
     *
     * @param ref the frame's {@code ref}, or null when it had none or it could not be read
     * @param message what was wrong, naming no value
     */
    public FrameException(@Nullable String ref, String message) {
        super(message);
        this.ref = ref;
    }

    /**
     * The {@code ref} of the refused frame.
     *
     * @return the ref, or null when the frame had none or it could not be read
     */
    public @Nullable String ref() {
        return ref;
    }
}

package io.carechat.messaging.jobs.internal;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.spi.StoredBody;
import org.jspecify.annotations.Nullable;

/**
 * The cursors the library's own scheduled jobs save: a phase letter, a colon, and the position in
 * that phase ({@code m:<seq>:<conversation id>} for message bodies, {@code a:<attachment id>},
 * {@code r:<role request id>}, {@code c:} for recall reasons). Ids only, never content. Not API.
 * Immutable and thread-safe.
 *
 * @param phase the phase letter
 * @param position the position in the phase, empty at its start
 */
public record JobCursor(char phase, String position) {
    /** Message bodies. */
    public static final char MESSAGES = 'm';
    /** Attachments. */
    public static final char ATTACHMENTS = 'a';
    /** Role requests. */
    public static final char ROLE_REQUESTS = 'r';
    /** Recall reasons. */
    public static final char RECALLS = 'c';

    /**
     * Reads a saved cursor.
     *
     * @param saved the cursor, or null for the beginning
     * @return the cursor, or null for the beginning (also when the saved one is not of this form,
     *     so a job simply starts afresh)
     */
    public static @Nullable JobCursor parse(@Nullable String saved) {
        if (saved == null || saved.length() < 2 || saved.charAt(1) != ':') {
            return null;
        }
        return new JobCursor(saved.charAt(0), saved.substring(2));
    }

    /**
     * The cursor after a message body.
     *
     * @param body the last body done
     * @return the cursor
     */
    public static String after(StoredBody body) {
        return MESSAGES + ":" + body.seq() + ":" + body.conversationId().value();
    }

    /**
     * The cursor after an id in a phase.
     *
     * @param phase the phase letter
     * @param id the last id done, empty at the phase's start
     * @return the cursor
     */
    public static String after(char phase, String id) {
        return phase + ":" + id;
    }

    /**
     * The message body position this cursor stands for.
     *
     * @return the position to scan after, or null if this is not a valid message position
     */
    public @Nullable StoredBody body() {
        int colon = position.indexOf(':');
        if (phase != MESSAGES || colon < 1) {
            return null;
        }
        try {
            return StoredBody.position(ConversationId.of(position.substring(colon + 1)),
                    Long.parseLong(position.substring(0, colon)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

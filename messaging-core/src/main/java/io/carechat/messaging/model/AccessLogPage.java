package io.carechat.messaging.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A page of a patient's access log, newest first. Immutable and thread-safe.
 *
 * @param entries the entries
 * @param nextBefore the cursor of the next (older) page, or null when there is none
 */
public record AccessLogPage(List<AccessLogEntry> entries, @Nullable Long nextBefore) {

    /** Copies the entries. */
    public AccessLogPage {
        entries = List.copyOf(entries);
    }
}

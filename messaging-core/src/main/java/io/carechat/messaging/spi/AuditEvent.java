package io.carechat.messaging.spi;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the audit trail: who did what to which object, when, from where, and how it ended.
 * Metadata only: it never holds a message body, a password, a token or a key. Immutable and
 * thread-safe; build one with {@link #builder(Instant, String, Outcome)}.
 *
 * <p>{@code action} and {@code reason} are machine-readable codes from CareChat's own vocabulary
 * (lower case, digits, {@code .} and {@code _}), never text taken from a request. Free-text fields
 * that come from the network (the client address and ids) are cut to {@value #MAX_TEXT} characters
 * and have control characters replaced, so they cannot forge log lines.
 *
 * @param time when it happened (an instant, so UTC)
 * @param action what was done, such as {@code auth.login} or {@code token.rejected}
 * @param outcome how it ended
 * @param actorId the user acting, when known
 * @param actorRoles the roles the actor held, empty when unknown
 * @param clientAddress the client's network address, when known
 * @param clientId the client application's id, when known
 * @param objectType the kind of thing acted on, such as {@code user} or {@code role_request}
 * @param objectId the id of the thing acted on
 * @param patientId the patient whose data was involved, when one was
 * @param requestId the transport's id for the request, when it has one
 * @param reason why it failed, or a detail of what happened, as a code
 * @param count how many identical occurrences this one event stands for: 1 for a single one, more
 *     for refusals aggregated over a window (then {@code time} is the first aggregated one's and
 *     {@code requestId} is absent)
 */
public record AuditEvent(
        Instant time,
        String action,
        Outcome outcome,
        @Nullable UserId actorId,
        Set<Role> actorRoles,
        @Nullable String clientAddress,
        @Nullable String clientId,
        @Nullable String objectType,
        @Nullable String objectId,
        @Nullable UserId patientId,
        @Nullable String requestId,
        @Nullable String reason,
        int count) {

    /** The longest free-text field kept; longer ones are cut. */
    public static final int MAX_TEXT = 128;

    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_.]{0,63}");

    /** How an audited action ended. */
    public enum Outcome {
        /** It was done. */
        SUCCESS,
        /** It was refused or failed. */
        FAILURE
    }

    /** Checks the codes and the count, copies the role set and cleans the free-text fields. */
    public AuditEvent {
        requireNonNull(time, "time");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        requireNonNull(outcome, "outcome");
        checkCode(action, "action");
        if (reason != null) {
            checkCode(reason, "reason");
        }
        if (objectType != null) {
            checkCode(objectType, "objectType");
        }
        actorRoles = actorRoles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(actorRoles));
        clientAddress = clean(clientAddress);
        clientId = clean(clientId);
        objectId = clean(objectId);
        requestId = clean(requestId);
    }

    /**
     * An event that stands for one occurrence.
     *
     * @param time when it happened
     * @param action what was done
     * @param outcome how it ended
     * @param actorId the user acting, when known
     * @param actorRoles the roles the actor held
     * @param clientAddress the client's network address, when known
     * @param clientId the client application's id, when known
     * @param objectType the kind of thing acted on
     * @param objectId the id of the thing acted on
     * @param patientId the patient whose data was involved
     * @param requestId the transport's id for the request
     * @param reason why it failed, or a detail, as a code
     */
    public AuditEvent(Instant time, String action, Outcome outcome, @Nullable UserId actorId, Set<Role> actorRoles,
            @Nullable String clientAddress, @Nullable String clientId, @Nullable String objectType,
            @Nullable String objectId, @Nullable UserId patientId, @Nullable String requestId, @Nullable String reason) {
        this(time, action, outcome, actorId, actorRoles, clientAddress, clientId, objectType, objectId, patientId,
                requestId, reason, 1);
    }

    /**
     * This event standing for {@code n} identical occurrences from its time on, without the request
     * id of any one of them.
     *
     * @param n how many, at least 1
     * @return the aggregate event
     */
    public AuditEvent aggregated(int n) {
        return new AuditEvent(time, action, outcome, actorId, actorRoles, clientAddress, clientId, objectType,
                objectId, patientId, null, reason, n);
    }

    /**
     * Starts an event.
     *
     * @param time when it happened
     * @param action what was done, a code such as {@code auth.login}
     * @param outcome how it ended
     * @return a builder with no actor, client or object
     */
    public static Builder builder(Instant time, String action, Outcome outcome) {
        return new Builder(time, action, outcome);
    }

    private static void checkCode(String value, String name) {
        requireNonNull(value, name);
        if (!CODE.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    name + " must be a code of lower-case letters, digits, '.' and '_'");
        }
    }

    private static @Nullable String clean(@Nullable String value) {
        if (value == null) {
            return null;
        }
        String cut = value.length() > MAX_TEXT ? value.substring(0, MAX_TEXT) : value;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return out.toString();
    }

    /** Builds an {@link AuditEvent}. Not thread-safe; use from one thread. */
    public static final class Builder {
        private final Instant time;
        private final String action;
        private final Outcome outcome;
        private @Nullable UserId actorId;
        private Set<Role> actorRoles = Set.of();
        private @Nullable String clientAddress;
        private @Nullable String clientId;
        private @Nullable String objectType;
        private @Nullable String objectId;
        private @Nullable UserId patientId;
        private @Nullable String requestId;
        private @Nullable String reason;

        private Builder(Instant time, String action, Outcome outcome) {
            this.time = requireNonNull(time, "time");
            this.action = requireNonNull(action, "action");
            this.outcome = requireNonNull(outcome, "outcome");
        }

        /**
         * Sets who acted.
         *
         * @param id the actor, or null when unknown
         * @param roles the roles the actor held
         * @return this builder
         */
        public Builder actor(@Nullable UserId id, Set<Role> roles) {
            this.actorId = id;
            this.actorRoles = requireNonNull(roles, "roles");
            return this;
        }

        /**
         * Sets where the request came from.
         *
         * @param address the client's network address, or null
         * @param client the client application's id, or null
         * @param request the transport's request id, or null
         * @return this builder
         */
        public Builder client(@Nullable String address, @Nullable String client, @Nullable String request) {
            this.clientAddress = address;
            this.clientId = client;
            this.requestId = request;
            return this;
        }

        /**
         * Sets what was acted on.
         *
         * @param type the kind, a code such as {@code user}
         * @param id its id
         * @return this builder
         */
        public Builder object(String type, String id) {
            this.objectType = requireNonNull(type, "type");
            this.objectId = requireNonNull(id, "id");
            return this;
        }

        /**
         * Sets the patient whose data was involved.
         *
         * @param id the patient
         * @return this builder
         */
        public Builder patient(@Nullable UserId id) {
            this.patientId = id;
            return this;
        }

        /**
         * Sets the reason code.
         *
         * @param code why it failed, or a detail, such as {@code expired}
         * @return this builder
         */
        public Builder reason(@Nullable String code) {
            this.reason = code;
            return this;
        }

        /**
         * Builds the event.
         *
         * @return the event
         * @throws IllegalArgumentException if a code is malformed
         */
        public AuditEvent build() {
            return new AuditEvent(time, action, outcome, actorId, actorRoles, clientAddress, clientId,
                    objectType, objectId, patientId, requestId, reason);
        }
    }
}

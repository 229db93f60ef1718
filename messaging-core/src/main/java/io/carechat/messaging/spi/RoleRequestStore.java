package io.carechat.messaging.spi;

import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.RoleRequest;
import io.carechat.messaging.model.RoleRequestId;
import io.carechat.messaging.model.RoleRequestStatus;
import io.carechat.messaging.model.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Stores role requests and their decisions. The note is stored as CareChat hands it over (sealed);
 * the store never reads it. Implementations are thread-safe.
 */
public interface RoleRequestStore {

    /**
     * Stores a new pending request.
     *
     * @param request the request, pending
     * @return the stored request
     * @throws ConflictException if the user already has a pending request for that role
     */
    RoleRequest create(RoleRequest request);

    /**
     * Finds a request.
     *
     * @param id the id
     * @return the request, or empty
     */
    Optional<RoleRequest> find(RoleRequestId id);

    /**
     * Pending requests, oldest first.
     *
     * @param limit the most to return
     * @return the requests
     */
    List<RoleRequest> pending(int limit);

    /**
     * Decides a pending request. Atomic: of two concurrent decisions, one wins and the other gets
     * a conflict.
     *
     * @param id the request
     * @param status approved or denied
     * @param admin the admin deciding
     * @param now the decision time
     * @return the decided request
     * @throws NotFoundException if there is no such request
     * @throws ConflictException if it was already decided
     */
    RoleRequest decide(RoleRequestId id, RoleRequestStatus status, UserId admin, Instant now);

    /**
     * Every request, decided or not, ordered by id, for key rotation.
     *
     * @param after only ids after this one (as text), or null to start at the beginning
     * @param limit the most to return, at least 1
     * @return the page, shorter than {@code limit} only at the end
     */
    List<RoleRequest> scan(@Nullable RoleRequestId after, int limit);

    /**
     * Replaces a request's stored note if it is still what the caller read (compare and set), for
     * key rotation.
     *
     * @param id the request
     * @param expected the note as read
     * @param replacement the note sealed again
     * @return true if replaced; false if it is gone or changed meanwhile
     */
    boolean replaceNote(RoleRequestId id, String expected, String replacement);
}

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

/** Stores role requests and their decisions. Implementations are thread-safe. */
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
}

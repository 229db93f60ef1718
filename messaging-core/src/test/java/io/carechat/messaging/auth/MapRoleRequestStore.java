package io.carechat.messaging.auth;

import io.carechat.messaging.ConflictException;
import io.carechat.messaging.NotFoundException;
import io.carechat.messaging.RoleRequest;
import io.carechat.messaging.RoleRequestId;
import io.carechat.messaging.RoleRequestStatus;
import io.carechat.messaging.UserId;
import io.carechat.messaging.spi.RoleRequestStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A small role request store over a map, for testing {@link Accounts} on its own. Thread-safe. */
final class MapRoleRequestStore implements RoleRequestStore {
    private final Map<RoleRequestId, RoleRequest> byId = new LinkedHashMap<>();

    @Override
    public synchronized RoleRequest create(RoleRequest request) {
        boolean pending = byId.values().stream().anyMatch(r -> r.userId().equals(request.userId())
                && r.role() == request.role() && r.status() == RoleRequestStatus.PENDING);
        if (pending) {
            throw new ConflictException("a request for that role is pending");
        }
        byId.put(request.id(), request);
        return request;
    }

    @Override
    public synchronized Optional<RoleRequest> find(RoleRequestId id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized List<RoleRequest> pending(int limit) {
        return byId.values().stream().filter(r -> r.status() == RoleRequestStatus.PENDING).limit(limit).toList();
    }

    @Override
    public synchronized RoleRequest decide(RoleRequestId id, RoleRequestStatus status, UserId admin, Instant now) {
        RoleRequest r = byId.get(id);
        if (r == null) {
            throw new NotFoundException("no such role request");
        }
        if (r.status() != RoleRequestStatus.PENDING) {
            throw new ConflictException("the role request was already decided");
        }
        RoleRequest decided = new RoleRequest(r.id(), r.userId(), r.role(), r.note(), status, r.createdAt(), now, admin);
        byId.put(id, decided);
        return decided;
    }
}

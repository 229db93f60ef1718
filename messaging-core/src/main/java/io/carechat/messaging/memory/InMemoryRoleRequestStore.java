package io.carechat.messaging.memory;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.RoleRequest;
import io.carechat.messaging.model.RoleRequestId;
import io.carechat.messaging.model.RoleRequestStatus;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.RoleRequestStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Role requests in a map; every change holds the store's lock so decisions are atomic. */
final class InMemoryRoleRequestStore implements RoleRequestStore {
    private final Map<RoleRequestId, RoleRequest> byId = new HashMap<>();

    @Override
    public synchronized RoleRequest create(RoleRequest request) {
        requireNonNull(request, "request");
        if (request.status() != RoleRequestStatus.PENDING) {
            throw new IllegalArgumentException("a new role request is pending");
        }
        if (byId.containsKey(request.id())) {
            throw new ConflictException("role request id is taken");
        }
        boolean pendingExists = byId.values().stream().anyMatch(r -> r.status() == RoleRequestStatus.PENDING
                && r.userId().equals(request.userId()) && r.role() == request.role());
        if (pendingExists) {
            throw new ConflictException("a request for this role is already pending");
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
        return byId.values().stream()
                .filter(r -> r.status() == RoleRequestStatus.PENDING)
                .sorted(Comparator.comparing(RoleRequest::createdAt).thenComparing(r -> r.id().value()))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized List<RoleRequest> scan(@Nullable RoleRequestId after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return byId.values().stream()
                .filter(r -> after == null || r.id().value().compareTo(after.value()) > 0)
                .sorted(Comparator.comparing(r -> r.id().value()))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized boolean replaceNote(RoleRequestId id, String expected, String replacement) {
        requireNonNull(expected, "expected");
        requireNonNull(replacement, "replacement");
        RoleRequest r = byId.get(requireNonNull(id, "id"));
        if (r == null || !r.note().equals(expected)) {
            return false;
        }
        byId.put(id, new RoleRequest(r.id(), r.userId(), r.role(), replacement, r.status(), r.createdAt(),
                r.decidedAt(), r.decidedBy()));
        return true;
    }

    @Override
    public synchronized RoleRequest decide(
            RoleRequestId id, RoleRequestStatus status, UserId admin, Instant now) {
        requireNonNull(status, "status");
        requireNonNull(admin, "admin");
        requireNonNull(now, "now");
        if (status == RoleRequestStatus.PENDING) {
            throw new IllegalArgumentException("a decision approves or denies");
        }
        RoleRequest request = byId.get(requireNonNull(id, "id"));
        if (request == null) {
            throw new NotFoundException("role request not found");
        }
        if (request.status() != RoleRequestStatus.PENDING) {
            throw new ConflictException("role request was already decided");
        }
        RoleRequest decided = new RoleRequest(request.id(), request.userId(), request.role(),
                request.note(), status, request.createdAt(), now, admin);
        byId.put(id, decided);
        return decided;
    }
}

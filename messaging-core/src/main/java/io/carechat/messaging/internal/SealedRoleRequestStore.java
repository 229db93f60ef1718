package io.carechat.messaging.internal;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.audit.AuditRecorder;
import io.carechat.messaging.crypto.FieldCipher;
import io.carechat.messaging.crypto.FieldCipher.FieldContext;
import io.carechat.messaging.crypto.SealedText;
import io.carechat.messaging.error.IntegrityException;
import io.carechat.messaging.model.RoleRequest;
import io.carechat.messaging.model.RoleRequestId;
import io.carechat.messaging.model.RoleRequestStatus;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.RoleRequestStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RoleRequestStore} that seals each note before the underlying store keeps it and opens
 * it on every read, bound to the request and its user ({@link SealedText}), so the store holds no
 * note in clear. A note that does not open is an {@link IntegrityException}, recorded as
 * {@code integrity.failure} on the request. The maintenance methods ({@link #scan},
 * {@link #replaceNote}) pass the stored form through, for key rotation. Not API. Thread-safe if
 * the underlying store is; holds no state of its own.
 */
public final class SealedRoleRequestStore implements RoleRequestStore {
    private final RoleRequestStore store;
    private final SealedText notes;
    private final AuditRecorder audit;

    /**
     * Wraps a store.
     *
     * @param store the store that keeps the sealed notes
     * @param cipher seals and opens them
     * @param audit records integrity failures
     */
    public SealedRoleRequestStore(RoleRequestStore store, FieldCipher cipher, AuditRecorder audit) {
        this.store = requireNonNull(store, "store");
        this.notes = new SealedText(requireNonNull(cipher, "cipher"));
        this.audit = requireNonNull(audit, "audit");
    }

    @Override
    public RoleRequest create(RoleRequest request) {
        requireNonNull(request, "request");
        store.create(withNote(request, notes.seal(request.note(), context(request))));
        return request;
    }

    @Override
    public Optional<RoleRequest> find(RoleRequestId id) {
        return store.find(id).map(this::open);
    }

    @Override
    public List<RoleRequest> pending(int limit) {
        return store.pending(limit).stream().map(this::open).toList();
    }

    @Override
    public RoleRequest decide(RoleRequestId id, RoleRequestStatus status, UserId admin, Instant now) {
        return open(store.decide(id, status, admin, now));
    }

    @Override
    public List<RoleRequest> scan(@Nullable RoleRequestId after, int limit) {
        return store.scan(after, limit);
    }

    @Override
    public boolean replaceNote(RoleRequestId id, String expected, String replacement) {
        return store.replaceNote(id, expected, replacement);
    }

    private RoleRequest open(RoleRequest stored) {
        try {
            return withNote(stored, notes.open(stored.note(), context(stored)));
        } catch (IntegrityException e) {
            audit.recordRefusal(audit.event("integrity.failure", AuditEvent.Outcome.FAILURE)
                    .object("role_request", stored.id().value())
                    .reason("decrypt_failed")
                    .build());
            throw e;
        }
    }

    private static FieldContext context(RoleRequest request) {
        return FieldContext.roleRequestNote(request.id(), request.userId());
    }

    private static RoleRequest withNote(RoleRequest r, String note) {
        return new RoleRequest(r.id(), r.userId(), r.role(), note, r.status(), r.createdAt(), r.decidedAt(),
                r.decidedBy());
    }
}

package io.carechat.messaging.memory;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.RefreshTokenStore;
import io.carechat.messaging.spi.StoredRefreshToken;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A {@link RefreshTokenStore} in memory. Thread-safe: every operation holds the store's lock, which
 * makes rotation atomic. Rotated and revoked tokens are kept, so reuse is recognised, until they
 * expire: once more than {@value #PRUNE_THRESHOLD} tokens are held, creating one drops those expired
 * by then (a dropped token is then UNKNOWN, still refused). Nothing survives a restart.
 */
public final class InMemoryRefreshTokenStore implements RefreshTokenStore {

    static final int PRUNE_THRESHOLD = 10_000;

    private final Map<String, Entry> byHash = new HashMap<>();

    /** Creates an empty store. */
    public InMemoryRefreshTokenStore() {}

    @Override
    public synchronized void create(StoredRefreshToken token) {
        requireNonNull(token, "token");
        if (byHash.containsKey(token.tokenHash())) {
            throw new ConflictException("refresh token exists");
        }
        if (byHash.size() >= PRUNE_THRESHOLD) {
            byHash.values().removeIf(entry -> !entry.token.expiresAt().isAfter(token.issuedAt()));
        }
        byHash.put(token.tokenHash(), new Entry(token));
    }

    @Override
    public synchronized Rotation rotate(
            String presentedHash, String successorHash, Instant now, Instant successorExpiresAt) {
        requireNonNull(presentedHash, "presentedHash");
        requireNonNull(successorHash, "successorHash");
        requireNonNull(now, "now");
        requireNonNull(successorExpiresAt, "successorExpiresAt");
        Entry entry = byHash.get(presentedHash);
        if (entry == null) {
            return new Rotation(Outcome.UNKNOWN, null, null);
        }
        if (entry.revoked) {
            return new Rotation(Outcome.REVOKED, entry.token, null);
        }
        if (entry.used) {
            return new Rotation(Outcome.REUSED, entry.token, null);
        }
        if (!now.isBefore(entry.token.expiresAt())) {
            return new Rotation(Outcome.EXPIRED, entry.token, null);
        }
        StoredRefreshToken successor = entry.token.successor(successorHash, now, successorExpiresAt);
        if (byHash.containsKey(successorHash)) {
            throw new ConflictException("refresh token exists");
        }
        entry.used = true;
        byHash.put(successorHash, new Entry(successor));
        return new Rotation(Outcome.ROTATED, entry.token, successor);
    }

    @Override
    public synchronized int revokeFamily(String familyId, Instant now) {
        requireNonNull(familyId, "familyId");
        requireNonNull(now, "now");
        return revokeWhere(entry -> entry.token.familyId().equals(familyId));
    }

    @Override
    public synchronized int revokeAll(UserId userId, Instant now) {
        requireNonNull(userId, "userId");
        requireNonNull(now, "now");
        return revokeWhere(entry -> entry.token.userId().equals(userId));
    }

    private int revokeWhere(Predicate<Entry> which) {
        int count = 0;
        for (Entry entry : byHash.values()) {
            if (!entry.revoked && which.test(entry)) {
                entry.revoked = true;
                count++;
            }
        }
        return count;
    }

    private static final class Entry {
        final StoredRefreshToken token;
        boolean used;
        boolean revoked;

        Entry(StoredRefreshToken token) {
            this.token = token;
        }
    }
}

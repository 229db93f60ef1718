package io.carechat.messaging.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.RefreshTokenStore;
import io.carechat.messaging.spi.RefreshTokenStore.Outcome;
import io.carechat.messaging.spi.RefreshTokenStore.Rotation;
import io.carechat.messaging.spi.StoredRefreshToken;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit for {@link RefreshTokenStore}: every implementation passes it. Subclass it,
 * implement {@link #newStore()}, and override {@link #newUser()} if tokens must belong to a stored
 * user. Not thread-safe itself: JUnit makes one instance per test, which calls {@link #newStore()}
 * before the test; a subclass that holds resources releases them in an {@code @AfterEach} method.
 */
public abstract class RefreshTokenStoreContract {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Whole seconds, so every storage precision keeps these instants exactly. */
    protected static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration TTL = Duration.ofDays(14);
    private static final Duration FAMILY_TTL = Duration.ofDays(30);

    private RefreshTokenStore store;

    /**
     * Creates an empty store for one test.
     *
     * @return the store under test
     */
    protected abstract RefreshTokenStore newStore();

    /**
     * A user tokens may be issued to. Stores that reference a user table override this to insert
     * one.
     *
     * @return a user id
     */
    protected UserId newUser() {
        return UserId.random();
    }

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    private static String newHash() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String newFamily() {
        return "fam-" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
    }

    private StoredRefreshToken created(UserId user, String family) {
        StoredRefreshToken token = new StoredRefreshToken(newHash(), family, user, NOW, NOW.plus(TTL), NOW.plus(FAMILY_TTL));
        store.create(token);
        return token;
    }

    private Rotation rotate(StoredRefreshToken token, String successorHash, Instant at) {
        return store.rotate(token.tokenHash(), successorHash, at, at.plus(TTL));
    }

    @Nested
    @DisplayName("rotation")
    class Rotating {
        @Test
        @DisplayName("a fresh token rotates into a successor of the same family and user")
        void freshTokenRotates() {
            UserId user = newUser();
            StoredRefreshToken token = created(user, newFamily());
            String successor = newHash();
            Rotation rotation = rotate(token, successor, NOW.plusSeconds(60));
            assertThat(rotation.outcome()).isEqualTo(Outcome.ROTATED);
            assertThat(rotation.presented()).isEqualTo(token);
            assertThat(rotation.successor()).isEqualTo(new StoredRefreshToken(successor, token.familyId(), user,
                    NOW.plusSeconds(60), NOW.plusSeconds(60).plus(TTL), token.familyExpiresAt()));
        }

        @Test
        @DisplayName("a successor never outlives its family: its expiry is capped at the family's end, after which nothing rotates")
        void successorCappedAtFamilyEnd() {
            StoredRefreshToken token = created(newUser(), newFamily());
            Instant late = token.familyExpiresAt().minus(TTL.dividedBy(2));
            Rotation first = rotate(token, newHash(), late.minus(TTL).plusSeconds(60));
            Rotation second = store.rotate(first.successor().tokenHash(), newHash(), late, late.plus(TTL));
            assertThat(second.outcome()).isEqualTo(Outcome.ROTATED);
            assertThat(second.successor().expiresAt()).isEqualTo(token.familyExpiresAt());
            assertThat(second.successor().familyExpiresAt()).isEqualTo(token.familyExpiresAt());
            Instant end = token.familyExpiresAt();
            assertThat(store.rotate(second.successor().tokenHash(), newHash(), end, end.plus(TTL)).outcome())
                    .isEqualTo(Outcome.EXPIRED);
        }

        @Test
        @DisplayName("a successor can itself be rotated")
        void successorRotates() {
            StoredRefreshToken token = created(newUser(), newFamily());
            Rotation first = rotate(token, newHash(), NOW.plusSeconds(1));
            Rotation second = rotate(first.successor(), newHash(), NOW.plusSeconds(2));
            assertThat(second.outcome()).isEqualTo(Outcome.ROTATED);
            assertThat(second.successor().familyId()).isEqualTo(token.familyId());
        }

        @Test
        @DisplayName("an unknown hash is reported as UNKNOWN")
        void unknown() {
            Rotation rotation = store.rotate(newHash(), newHash(), NOW, NOW.plus(TTL));
            assertThat(rotation.outcome()).isEqualTo(Outcome.UNKNOWN);
            assertThat(rotation.presented()).isNull();
        }

        @Test
        @DisplayName("a token used at or after its expiry is EXPIRED and stores no successor")
        void expired() {
            StoredRefreshToken token = created(newUser(), newFamily());
            String successor = newHash();
            assertThat(rotate(token, successor, token.expiresAt()).outcome()).isEqualTo(Outcome.EXPIRED);
            assertThat(store.rotate(successor, newHash(), NOW, NOW.plus(TTL)).outcome()).isEqualTo(Outcome.UNKNOWN);
        }

        @Test
        @DisplayName("creating a token whose hash is stored already is a conflict")
        void duplicateHash() {
            StoredRefreshToken token = created(newUser(), newFamily());
            assertThatThrownBy(() -> store.create(token)).isInstanceOf(ConflictException.class);
        }
    }

    @Nested
    @DisplayName("reuse")
    class Reuse {
        @Test
        @DisplayName("a rotated token used again is REUSED, with its family and user, and rotates nothing")
        void reused() {
            UserId user = newUser();
            StoredRefreshToken token = created(user, newFamily());
            Rotation first = rotate(token, newHash(), NOW.plusSeconds(1));
            String second = newHash();
            Rotation again = rotate(token, second, NOW.plusSeconds(2));
            assertThat(again.outcome()).isEqualTo(Outcome.REUSED);
            assertThat(again.presented()).isEqualTo(token);
            assertThat(again.successor()).isNull();
            assertThat(store.rotate(second, newHash(), NOW.plusSeconds(3), NOW.plus(TTL)).outcome())
                    .isEqualTo(Outcome.UNKNOWN);
            assertThat(rotate(first.successor(), newHash(), NOW.plusSeconds(4)).outcome()).isEqualTo(Outcome.ROTATED);
        }

        @Test
        @DisplayName("of concurrent rotations of one token exactly one wins; the others see REUSED")
        void concurrentRotation() throws Exception {
            StoredRefreshToken token = created(newUser(), newFamily());
            int threads = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Rotation>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    String successor = newHash();
                    results.add(pool.submit(() -> {
                        start.await();
                        return rotate(token, successor, NOW.plusSeconds(5));
                    }));
                }
                start.countDown();
                List<Outcome> outcomes = new ArrayList<>();
                for (Future<Rotation> result : results) {
                    outcomes.add(result.get(30, TimeUnit.SECONDS).outcome());
                }
                assertThat(outcomes).filteredOn(o -> o == Outcome.ROTATED).hasSize(1);
                assertThat(outcomes).filteredOn(o -> o == Outcome.REUSED).hasSize(threads - 1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    @DisplayName("revocation")
    class Revocation {
        @Test
        @DisplayName("revoking a family revokes every token in it and no other family's")
        void family() {
            UserId user = newUser();
            String family = newFamily();
            StoredRefreshToken token = created(user, family);
            Rotation rotated = rotate(token, newHash(), NOW.plusSeconds(1));
            StoredRefreshToken other = created(user, newFamily());
            assertThat(store.revokeFamily(family, NOW.plusSeconds(2))).isEqualTo(2);
            assertThat(rotate(rotated.successor(), newHash(), NOW.plusSeconds(3)).outcome()).isEqualTo(Outcome.REVOKED);
            assertThat(rotate(token, newHash(), NOW.plusSeconds(3)).outcome()).isEqualTo(Outcome.REVOKED);
            assertThat(rotate(other, newHash(), NOW.plusSeconds(3)).outcome()).isEqualTo(Outcome.ROTATED);
        }

        @Test
        @DisplayName("revoking a user's tokens revokes all their families and no other user's")
        void user() {
            UserId user = newUser();
            UserId someoneElse = newUser();
            StoredRefreshToken a = created(user, newFamily());
            StoredRefreshToken b = created(user, newFamily());
            StoredRefreshToken c = created(someoneElse, newFamily());
            assertThat(store.revokeAll(user, NOW.plusSeconds(1))).isEqualTo(2);
            assertThat(rotate(a, newHash(), NOW.plusSeconds(2)).outcome()).isEqualTo(Outcome.REVOKED);
            assertThat(rotate(b, newHash(), NOW.plusSeconds(2)).outcome()).isEqualTo(Outcome.REVOKED);
            assertThat(rotate(c, newHash(), NOW.plusSeconds(2)).outcome()).isEqualTo(Outcome.ROTATED);
        }

        @Test
        @DisplayName("revoking again counts nothing newly revoked")
        void idempotent() {
            UserId user = newUser();
            String family = newFamily();
            created(user, family);
            assertThat(store.revokeFamily(family, NOW)).isEqualTo(1);
            assertThat(store.revokeFamily(family, NOW)).isZero();
            assertThat(store.revokeAll(user, NOW)).isZero();
        }
    }
}

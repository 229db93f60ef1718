package io.carechat.messaging.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditChain;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditQuery;
import io.carechat.messaging.spi.AuditRecord;
import io.carechat.messaging.spi.AuditSink;
import io.carechat.messaging.spi.AuditTrail;
import io.carechat.messaging.spi.ChainVerification;
import io.carechat.messaging.spi.KeyProvider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit for {@link AuditTrail}: the {@link AuditSinkContract} rules plus the hash
 * chain, queries and verification. Subclass it and implement {@link #newTrail()}; a store that can
 * be edited behind its back (a database) also overrides {@link #tamper(Tampering)} so the kit can
 * check that each kind of tampering is caught and located. Not thread-safe itself: JUnit makes one
 * instance per test, which calls {@link #newTrail()} before the test; a subclass that holds
 * resources releases them in an {@code @AfterEach} method.
 */
public abstract class AuditTrailContract extends AuditSinkContract {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    /** A change made behind the trail's back, by hand, to its stored events. */
    public enum Tampering {
        /** Event 3's object id is changed. */
        EDIT,
        /** Event 3 is deleted. */
        DELETE,
        /** The newest event (5) is deleted. */
        DELETE_NEWEST,
        /** Events 2 and 3 swap places. */
        REORDER,
        /**
         * A well-formed event, correctly hashed onto event 2 with {@link #KEYS} (by someone who
         * also holds the key), is inserted as event 3; the rest move up.
         */
        INSERT,
        /** A well-formed event, correctly hashed onto event 5 with {@link #KEYS}, is added as event 6 (the head not moved). */
        APPEND,
        /** Every hash is recomputed as plain SHA-256 from the first event on, key ids kept, and the head moved. */
        REBUILD_PLAIN,
        /** As {@link #REBUILD_PLAIN}, and every key id cleared, as if the events had been written before keying. */
        REBUILD_UNKEYED
    }

    /** The keys the kit keys trails with: one key, {@code k1}. */
    public static final KeyProvider KEYS = StaticKeyProvider.of(Map.of("k1", material(1)), "k1");

    /** The same key {@code k1} and a new current key {@code k2}, as after a rotation. */
    public static final KeyProvider ROTATED = StaticKeyProvider.of(Map.of("k1", material(1), "k2", material(2)), "k2");

    private static byte[] material(int seed) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) seed);
        return key;
    }

    /** What a verification found, without its segments, for comparing with an expected outcome. */
    private static ChainVerification outcome(ChainVerification v) {
        return new ChainVerification(v.valid(), v.checked(), v.firstBrokenAt(), v.reason(), List.of());
    }

    private static ChainVerification intact(long checked) {
        return ChainVerification.intact(checked, List.of());
    }

    private static ChainVerification brokenAt(long checked, long at, String reason) {
        return ChainVerification.brokenAt(checked, at, reason, List.of());
    }

    /**
     * Creates an empty trail for one test.
     *
     * @return the trail under test
     */
    protected abstract AuditTrail newTrail();

    /**
     * Changes the stored events of the trail made by the last {@link #newTrail()} by hand, as an
     * attacker with write access to the storage would. Only called after five events were
     * recorded. The default skips the calling test, for stores nothing can edit behind their back.
     *
     * @param tampering what to change
     * @throws Exception if the change fails
     */
    protected void tamper(Tampering tampering) throws Exception {
        Assumptions.abort("this trail cannot be edited behind its back");
    }

    @Override
    protected final AuditSink newSink() {
        return newTrail();
    }

    @Override
    protected final List<AuditEvent> recorded(AuditSink sink) {
        return ((AuditTrail) sink).query(AuditQuery.between(null, null, AuditQuery.MAX_LIMIT)).stream()
                .map(AuditRecord::event).toList();
    }

    private static AuditEvent event(int n, String action, UserId actor) {
        return AuditEvent.builder(T0.plusSeconds(n), action, AuditEvent.Outcome.SUCCESS)
                .actor(actor, Set.of(Role.DOCTOR))
                .client("192.0.2.7", "web", "req-" + n)
                .object("conversation", "c-" + n)
                .build();
    }

    private AuditTrail trailWithFive() {
        AuditTrail trail = (AuditTrail) sink();
        trail.useKeys(KEYS);
        for (int i = 1; i <= 5; i++) {
            trail.record(event(i, "message.send", UserId.of("doctor-1")));
        }
        return trail;
    }

    @Nested
    @DisplayName("the hash chain")
    class Chain {
        @Test
        @DisplayName("an empty trail verifies")
        void empty() {
            assertThat(((AuditTrail) sink()).verify()).isEqualTo(ChainVerification.intact(0, List.of()));
        }

        @Test
        @DisplayName("events get gapless sequence numbers from 1, each hashed onto the one before with the key it names")
        void linked() {
            List<AuditRecord> records = trailWithFive().query(AuditQuery.between(null, null, 100));
            assertThat(records).extracting(AuditRecord::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
            String previous = AuditChain.GENESIS;
            for (AuditRecord record : records) {
                assertThat(record.previousHash()).isEqualTo(previous);
                assertThat(record.keyId()).isEqualTo("k1");
                assertThat(record.hash()).isEqualTo(AuditChain.currentMacKey(KEYS)
                        .hash(previous, record.sequence(), record.event()));
                previous = record.hash();
            }
        }

        @Test
        @DisplayName("an untouched trail verifies, every event checked")
        void verifies() {
            assertThat(trailWithFive().verify()).isEqualTo(ChainVerification.intact(5,
                    List.of(new ChainVerification.Segment("k1", 1, 5))));
        }

        @Test
        @DisplayName("an event standing for many refusals keeps its count, its hash covers it, and the chain verifies")
        void aggregatedEventKeepsItsCount() {
            AuditTrail trail = (AuditTrail) sink();
            trail.useKeys(KEYS);
            AuditEvent refusal = AuditEvent.builder(T0, "token.rejected", AuditEvent.Outcome.FAILURE)
                    .client("192.0.2.7", null, null).reason("bad_signature").build();
            trail.record(refusal);
            trail.record(refusal.aggregated(49));
            trail.record(event(3, "message.read", UserId.of("doctor-1")));

            List<AuditRecord> records = trail.query(AuditQuery.between(null, null, 100));
            assertThat(records).extracting(r -> r.event().count()).containsExactly(1, 49, 1);
            assertThat(records.get(1).event()).isEqualTo(refusal.aggregated(49));
            assertThat(records.get(1).hash()).isEqualTo(AuditChain.currentMacKey(KEYS)
                    .hash(records.get(0).hash(), 2, refusal.aggregated(49)));
            assertThat(trail.verify()).isEqualTo(ChainVerification.intact(3,
                    List.of(new ChainVerification.Segment("k1", 1, 3))));
        }

        @Test
        @DisplayName("a long chain, more than a thousand events, verifies to its end")
        void longChain() {
            AuditTrail trail = (AuditTrail) sink();
            for (int i = 0; i < 1_050; i++) {
                trail.record(event(i, "message.read", UserId.of("doctor-1")));
            }
            assertThat(outcome(trail.verify())).isEqualTo(intact(1_050));
        }

        @Test
        @DisplayName("events recorded from many threads at once form one chain without forks")
        void concurrentAppendsFormOneChain() throws Exception {
            AuditTrail trail = (AuditTrail) sink();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int base = t * 25;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < 25; i++) {
                            trail.record(event(base + i, "message.read", UserId.of("doctor-1")));
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(outcome(trail.verify())).isEqualTo(intact(100));
        }
    }

    @Nested
    @DisplayName("the keyed chain")
    class Keyed {
        @Test
        @DisplayName("events written before the trail was keyed verify as an unkeyed first segment, named so")
        void unkeyedStart() {
            AuditTrail trail = (AuditTrail) sink();
            trail.record(event(1, "message.read", UserId.of("doctor-1")));
            trail.record(event(2, "message.read", UserId.of("doctor-1")));
            trail.useKeys(KEYS);
            trail.record(event(3, "message.read", UserId.of("doctor-1")));
            ChainVerification verification = trail.verify();
            assertThat(verification).isEqualTo(ChainVerification.intact(3, List.of(
                    new ChainVerification.Segment(null, 1, 2), new ChainVerification.Segment("k1", 3, 3))));
            assertThat(verification.segments()).extracting(ChainVerification.Segment::label)
                    .containsExactly("unkeyed", "k1");
        }

        @Test
        @DisplayName("a rotation starts a new segment under the new key, and verify names each segment's key")
        void rotationStartsSegment() {
            AuditTrail trail = trailWithFive();
            trail.useKeys(ROTATED);
            trail.record(event(6, "key.rotate", UserId.of("doctor-1")));
            trail.record(event(7, "message.read", UserId.of("doctor-1")));
            assertThat(trail.query(AuditQuery.between(null, null, 100))).extracting(AuditRecord::keyId)
                    .containsExactly("k1", "k1", "k1", "k1", "k1", "k2", "k2");
            assertThat(trail.verify()).isEqualTo(ChainVerification.intact(7, List.of(
                    new ChainVerification.Segment("k1", 1, 5), new ChainVerification.Segment("k2", 6, 7))));
        }

        @Test
        @DisplayName("a verifier that does not hold a segment's key says so")
        void unknownKey() {
            AuditTrail trail = (AuditTrail) sink();
            trail.useKeys(ROTATED);
            trail.record(event(1, "message.read", UserId.of("doctor-1")));
            trail.useKeys(KEYS);
            assertThat(outcome(trail.verify())).isEqualTo(brokenAt(0, 1, "unknown_key"));
        }
    }

    @Nested
    @DisplayName("tampering by hand")
    class Tamper {
        private ChainVerification after(Tampering tampering) throws Exception {
            AuditTrail trail = trailWithFive();
            tamper(tampering);
            return outcome(trail.verify());
        }

        @Test
        @DisplayName("an edited event is caught at its sequence")
        void edit() throws Exception {
            assertThat(after(Tampering.EDIT)).isEqualTo(brokenAt(2, 3, "hash_mismatch"));
        }

        @Test
        @DisplayName("a deleted event is caught at its sequence")
        void delete() throws Exception {
            assertThat(after(Tampering.DELETE)).isEqualTo(brokenAt(2, 3, "missing"));
        }

        @Test
        @DisplayName("deleting the newest event is caught against the chain's head")
        void deleteNewest() throws Exception {
            assertThat(after(Tampering.DELETE_NEWEST)).isEqualTo(brokenAt(4, 5, "truncated"));
        }

        @Test
        @DisplayName("two events swapped are caught where the order breaks")
        void reorder() throws Exception {
            assertThat(after(Tampering.REORDER))
                    .isEqualTo(brokenAt(1, 2, "previous_hash_mismatch"));
        }

        @Test
        @DisplayName("a forged event inserted in the middle is caught at the first event after it")
        void insert() throws Exception {
            assertThat(after(Tampering.INSERT))
                    .isEqualTo(brokenAt(3, 4, "previous_hash_mismatch"));
        }

        @Test
        @DisplayName("a forged event added after the head is caught")
        void append() throws Exception {
            assertThat(after(Tampering.APPEND)).isEqualTo(brokenAt(5, 6, "beyond_head"));
        }

        @Test
        @DisplayName("a chain rebuilt whole with plain SHA-256, key ids kept and head moved, fails at its first event")
        void rebuiltPlain() throws Exception {
            assertThat(after(Tampering.REBUILD_PLAIN)).isEqualTo(brokenAt(0, 1, "hash_mismatch"));
        }

        @Test
        @DisplayName("a chain rebuilt whole with plain SHA-256 and no key ids, passed off as unkeyed, fails at its head")
        void rebuiltUnkeyed() throws Exception {
            assertThat(after(Tampering.REBUILD_UNKEYED)).isEqualTo(brokenAt(5, 5, "unkeyed_head"));
        }
    }

    @Nested
    @DisplayName("queries")
    class Queries {
        @Test
        @DisplayName("a query keeps only events in the time range, by the actor, with the action")
        void filters() {
            AuditTrail trail = (AuditTrail) sink();
            UserId alice = UserId.of("alice");
            UserId bob = UserId.of("bob");
            trail.record(event(1, "message.send", alice));
            trail.record(event(2, "message.read", alice));
            trail.record(event(3, "message.send", bob));
            trail.record(event(4, "message.send", alice));
            trail.record(event(5, "message.send", alice));
            List<AuditRecord> found = trail.query(new AuditQuery(
                    T0.plusSeconds(1), T0.plusSeconds(5), alice, "message.send", 0, 10));
            assertThat(found).extracting(AuditRecord::sequence).containsExactly(1L, 4L);
        }

        @Test
        @DisplayName("a query returns at most its limit, and pages on by sequence")
        void limitAndPaging() {
            AuditTrail trail = trailWithFive();
            assertThat(trail.query(AuditQuery.between(null, null, 2)))
                    .extracting(AuditRecord::sequence).containsExactly(1L, 2L);
            assertThat(trail.query(new AuditQuery(null, null, null, null, 2, 2)))
                    .extracting(AuditRecord::sequence).containsExactly(3L, 4L);
        }
    }
}

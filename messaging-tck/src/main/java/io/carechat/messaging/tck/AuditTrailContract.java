package io.carechat.messaging.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditChain;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditQuery;
import io.carechat.messaging.spi.AuditRecord;
import io.carechat.messaging.spi.AuditSink;
import io.carechat.messaging.spi.AuditTrail;
import io.carechat.messaging.spi.ChainVerification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
        /** A well-formed event, correctly hashed onto event 2, is inserted as event 3; the rest move up. */
        INSERT,
        /** A well-formed event, correctly hashed onto event 5, is added as event 6 (the head not moved). */
        APPEND
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
            assertThat(((AuditTrail) sink()).verify()).isEqualTo(ChainVerification.intact(0));
        }

        @Test
        @DisplayName("events get gapless sequence numbers from 1, each hashed onto the one before")
        void linked() {
            List<AuditRecord> records = trailWithFive().query(AuditQuery.between(null, null, 100));
            assertThat(records).extracting(AuditRecord::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
            String previous = AuditChain.GENESIS;
            for (AuditRecord record : records) {
                assertThat(record.previousHash()).isEqualTo(previous);
                assertThat(record.hash()).isEqualTo(AuditChain.hash(previous, record.sequence(), record.event()));
                previous = record.hash();
            }
        }

        @Test
        @DisplayName("an untouched trail verifies, every event checked")
        void verifies() {
            assertThat(trailWithFive().verify()).isEqualTo(ChainVerification.intact(5));
        }

        @Test
        @DisplayName("a long chain, more than a thousand events, verifies to its end")
        void longChain() {
            AuditTrail trail = (AuditTrail) sink();
            for (int i = 0; i < 1_050; i++) {
                trail.record(event(i, "message.read", UserId.of("doctor-1")));
            }
            assertThat(trail.verify()).isEqualTo(ChainVerification.intact(1_050));
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
            assertThat(trail.verify()).isEqualTo(ChainVerification.intact(100));
        }
    }

    @Nested
    @DisplayName("tampering by hand")
    class Tamper {
        private ChainVerification after(Tampering tampering) throws Exception {
            AuditTrail trail = trailWithFive();
            tamper(tampering);
            return trail.verify();
        }

        @Test
        @DisplayName("an edited event is caught at its sequence")
        void edit() throws Exception {
            assertThat(after(Tampering.EDIT)).isEqualTo(ChainVerification.brokenAt(2, 3, "hash_mismatch"));
        }

        @Test
        @DisplayName("a deleted event is caught at its sequence")
        void delete() throws Exception {
            assertThat(after(Tampering.DELETE)).isEqualTo(ChainVerification.brokenAt(2, 3, "missing"));
        }

        @Test
        @DisplayName("deleting the newest event is caught against the chain's head")
        void deleteNewest() throws Exception {
            assertThat(after(Tampering.DELETE_NEWEST)).isEqualTo(ChainVerification.brokenAt(4, 5, "truncated"));
        }

        @Test
        @DisplayName("two events swapped are caught where the order breaks")
        void reorder() throws Exception {
            assertThat(after(Tampering.REORDER))
                    .isEqualTo(ChainVerification.brokenAt(1, 2, "previous_hash_mismatch"));
        }

        @Test
        @DisplayName("a forged event inserted in the middle is caught at the first event after it")
        void insert() throws Exception {
            assertThat(after(Tampering.INSERT))
                    .isEqualTo(ChainVerification.brokenAt(3, 4, "previous_hash_mismatch"));
        }

        @Test
        @DisplayName("a forged event added after the head is caught")
        void append() throws Exception {
            assertThat(after(Tampering.APPEND)).isEqualTo(ChainVerification.brokenAt(5, 6, "beyond_head"));
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

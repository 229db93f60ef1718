package io.carechat.messaging.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.BreakGlassGrant;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditRecord;
import io.carechat.messaging.spi.BreakGlassStore;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.spi.NewMessage;
import io.carechat.messaging.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit for break-glass grants ({@link BreakGlassStore}), for the message store's
 * acceptance of a grant holder's send, and for the audit trail's query behind a patient's access
 * log. Subclass it and return a fresh, empty storage from {@link #createStorage()}. Time is a
 * {@link MutableClock} the tests move, so expiry is judged without waiting. Not thread-safe itself:
 * JUnit makes one instance per test, which calls {@link #createStorage()} before the test and
 * {@link #disposeStorage()} after it.
 */
@DisplayName("Break-glass storage contract")
public abstract class BreakGlassStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    private final AtomicInteger sequence = new AtomicInteger();
    private final MutableClock clock = new MutableClock(T0);
    private MessagingStorage storage;
    private BreakGlassStore grants;

    /**
     * Makes a fresh, empty storage.
     *
     * @return the storage
     */
    protected abstract MessagingStorage createStorage();

    /** Releases what {@link #createStorage()} made; the default does nothing. */
    protected void disposeStorage() {}

    @BeforeEach
    void create() {
        storage = createStorage();
        grants = storage.breakGlass();
    }

    @AfterEach
    void dispose() {
        disposeStorage();
    }

    private User givenUser(Role role) {
        String name = "bg" + sequence.incrementAndGet();
        return storage.users().create(new User(UserId.random(), name, name + "@example.org", name, Set.of(role),
                true, T0), "hash");
    }

    private Conversation givenDirect() {
        return storage.conversations().openDirect(ConversationId.random(), givenUser(Role.DOCTOR).id(),
                givenUser(Role.PATIENT).id(), T0);
    }

    private BreakGlassGrant grant(Conversation c, UserId doctor, Instant at, Duration lasting) {
        BreakGlassGrant grant = new BreakGlassGrant(UUID.randomUUID().toString(), c.id(), doctor,
                "/sealed/reason-" + sequence.incrementAndGet(), at, at.plus(lasting));
        grants.save(grant);
        return grant;
    }

    private NewMessage message(Conversation c, UserId sender, Instant at) {
        return new NewMessage(MessageId.random(), c.id(), sender, "k" + sequence.incrementAndGet(), "body",
                Priority.NORMAL, List.of(), at);
    }

    /** Grants and their expiry. */
    @Nested
    @DisplayName("grants")
    public class Grants {

        @Test
        @DisplayName("a grant is kept with every field and holds from its start until, not including, its expiry")
        void holdsUntilExpiry() {
            Conversation c = givenDirect();
            UserId doctor = givenUser(Role.DOCTOR).id();
            BreakGlassGrant grant = grant(c, doctor, clock.instant(), HOUR);

            assertThat(grants.active(c.id(), doctor, clock.instant())).contains(grant);
            clock.advance(HOUR.minusSeconds(1));
            assertThat(grants.active(c.id(), doctor, clock.instant())).contains(grant);
            clock.advance(Duration.ofSeconds(1));
            assertThat(grants.active(c.id(), doctor, clock.instant())).isEmpty();
            assertThat(grants.allActive(clock.instant(), 10)).isEmpty();
        }

        @Test
        @DisplayName("a grant belongs to its doctor and conversation only")
        void scopedToDoctorAndConversation() {
            Conversation c = givenDirect();
            Conversation other = givenDirect();
            UserId doctor = givenUser(Role.DOCTOR).id();
            UserId colleague = givenUser(Role.DOCTOR).id();
            grant(c, doctor, clock.instant(), HOUR);

            assertThat(grants.active(c.id(), colleague, clock.instant())).isEmpty();
            assertThat(grants.active(other.id(), doctor, clock.instant())).isEmpty();
        }

        @Test
        @DisplayName("of several grants the one expiring last is the active one; access lasts until it expires")
        void latestExpiryWins() {
            Conversation c = givenDirect();
            UserId doctor = givenUser(Role.DOCTOR).id();
            grant(c, doctor, clock.instant(), HOUR);
            clock.advance(Duration.ofMinutes(30));
            BreakGlassGrant second = grant(c, doctor, clock.instant(), HOUR);

            assertThat(grants.active(c.id(), doctor, clock.instant())).contains(second);
            clock.advance(Duration.ofMinutes(45));
            assertThat(grants.active(c.id(), doctor, clock.instant())).contains(second);
        }

        @Test
        @DisplayName("every grant active at an instant is listed, oldest first, expired ones left out")
        void allActiveOldestFirst() {
            Conversation c = givenDirect();
            UserId first = givenUser(Role.DOCTOR).id();
            UserId second = givenUser(Role.DOCTOR).id();
            UserId expired = givenUser(Role.DOCTOR).id();
            grant(c, expired, clock.instant(), Duration.ofMinutes(5));
            clock.advance(Duration.ofMinutes(1));
            BreakGlassGrant a = grant(c, first, clock.instant(), HOUR);
            clock.advance(Duration.ofMinutes(1));
            BreakGlassGrant b = grant(givenDirect(), second, clock.instant(), HOUR);
            clock.advance(Duration.ofMinutes(10));

            assertThat(grants.allActive(clock.instant(), 10)).containsExactly(a, b);
            assertThat(grants.allActive(clock.instant(), 1)).containsExactly(a);
        }

        @Test
        @DisplayName("a grant is found by its id after it expired; an unknown id finds nothing")
        void findById() {
            Conversation c = givenDirect();
            BreakGlassGrant grant = grant(c, givenUser(Role.DOCTOR).id(), clock.instant(), HOUR);
            clock.advance(HOUR.multipliedBy(2));

            assertThat(grants.find(grant.id())).contains(grant);
            assertThat(grants.find("no-such-grant")).isEmpty();
        }

        @Test
        @DisplayName("a grant id stored twice is a conflict, and the first grant stands")
        void duplicateIdConflicts() {
            Conversation c = givenDirect();
            UserId doctor = givenUser(Role.DOCTOR).id();
            BreakGlassGrant grant = grant(c, doctor, clock.instant(), HOUR);

            assertThatThrownBy(() -> grants.save(grant.withReason("/sealed/other")))
                    .isInstanceOf(ConflictException.class);
            assertThat(grants.active(c.id(), doctor, clock.instant())).contains(grant);
        }
    }

    /** The message store honours grants. */
    @Nested
    @DisplayName("sends under a grant")
    public class Sends {

        @Test
        @DisplayName("a non-member's message is accepted while their grant holds, without making them a member")
        void acceptedWhileActive() {
            Conversation c = givenDirect();
            UserId doctor = givenUser(Role.DOCTOR).id();
            grant(c, doctor, clock.instant(), HOUR);

            clock.advance(Duration.ofMinutes(10));
            assertThat(storage.messages().append(message(c, doctor, clock.instant())).created()).isTrue();
            assertThat(storage.conversations().member(c.id(), doctor)).isEmpty();
            assertThat(storage.conversations().members(c.id())).hasSize(2);
            UserId patient = c.memberIds().get(1);
            assertThat(storage.conversations().member(c.id(), patient).orElseThrow().unread()).isEqualTo(1);
        }

        @Test
        @DisplayName("a message sent at or after the grant's expiry is refused as from a non-member")
        void refusedAfterExpiry() {
            Conversation c = givenDirect();
            UserId doctor = givenUser(Role.DOCTOR).id();
            grant(c, doctor, clock.instant(), HOUR);

            clock.advance(HOUR);
            assertThatThrownBy(() -> storage.messages().append(message(c, doctor, clock.instant())))
                    .isInstanceOf(NotFoundException.class);
            assertThat(storage.messages().history(c.id(), null, 10).messages()).isEmpty();
        }

        @Test
        @DisplayName("a grant on another conversation lets no message through")
        void otherConversationRefused() {
            Conversation c = givenDirect();
            UserId doctor = givenUser(Role.DOCTOR).id();
            grant(givenDirect(), doctor, clock.instant(), HOUR);

            assertThatThrownBy(() -> storage.messages().append(message(c, doctor, clock.instant())))
                    .isInstanceOf(NotFoundException.class);
        }
    }

    /** The audit trail's query behind a patient's access log. */
    @Nested
    @DisplayName("a patient's accesses in the audit trail")
    public class PatientAccesses {
        private final UserId patient = UserId.of("patient-a");
        private final UserId doctor = UserId.of("doctor-a");

        private void record(String action, AuditEvent.Outcome outcome, UserId actor, UserId about) {
            clock.advance(Duration.ofSeconds(1));
            storage.auditTrail().record(AuditEvent.builder(clock.instant(), action, outcome)
                    .actor(actor, Set.of(Role.DOCTOR))
                    .object("conversation", "conv-a")
                    .patient(about)
                    .build());
        }

        @Test
        @DisplayName("lists others' successful accesses of the given actions, newest first, paged by sequence")
        void newestFirstPaged() {
            record("message.read", AuditEvent.Outcome.SUCCESS, doctor, patient);
            record("message.read", AuditEvent.Outcome.FAILURE, doctor, patient);
            record("message.read", AuditEvent.Outcome.SUCCESS, patient, patient);
            record("message.send", AuditEvent.Outcome.SUCCESS, doctor, patient);
            record("message.read", AuditEvent.Outcome.SUCCESS, doctor, UserId.of("patient-b"));
            record("conversation.open", AuditEvent.Outcome.SUCCESS, doctor, patient);
            record("message.read", AuditEvent.Outcome.SUCCESS, doctor, patient);
            Set<String> actions = Set.of("message.read", "conversation.open");

            List<AuditRecord> all = storage.auditTrail().patientAccesses(patient, actions, null, 10);
            assertThat(all).extracting(r -> r.event().action())
                    .containsExactly("message.read", "conversation.open", "message.read");
            assertThat(all).extracting(AuditRecord::sequence).isSortedAccordingTo((a, b) -> Long.compare(b, a));

            List<AuditRecord> first = storage.auditTrail().patientAccesses(patient, actions, null, 2);
            List<AuditRecord> rest = storage.auditTrail().patientAccesses(patient, actions,
                    first.get(1).sequence(), 2);
            assertThat(first).containsExactlyElementsOf(all.subList(0, 2));
            assertThat(rest).containsExactlyElementsOf(all.subList(2, 3));
        }
    }
}

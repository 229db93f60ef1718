package io.carechat.messaging.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Escalation;
import io.carechat.messaging.model.EscalationOutcome;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.EscalationStore;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.spi.NewMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit for urgent escalation ({@link EscalationStore}): the on-call roster, the
 * escalation the message store writes with a patient's urgent message, claims that exactly one
 * claimant wins (concurrent claimants included) under a lease another may take over, and the
 * completion that adds the on-call doctors once. Subclass it and return a fresh, empty storage from
 * {@link #createStorage()}. Times are given to the store, so leases are judged without waiting. Not
 * thread-safe itself: JUnit makes one instance per test, which calls {@link #createStorage()}
 * before the test and {@link #disposeStorage()} after it.
 */
@DisplayName("Escalation storage contract")
public abstract class EscalationStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Duration DELAY = Duration.ofMinutes(10);
    private static final Duration LEASE = Duration.ofMinutes(1);

    private final AtomicInteger sequence = new AtomicInteger();
    private MessagingStorage storage;
    private EscalationStore escalations;

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
        escalations = storage.escalations();
    }

    @AfterEach
    void dispose() {
        disposeStorage();
    }

    private User givenUser(Role role) {
        String name = "esc" + sequence.incrementAndGet();
        return storage.users().create(new User(UserId.random(), name, name + "@example.org", name, Set.of(role),
                true, T0), "hash");
    }

    /** A direct conversation: [0] the doctor, [1] the patient. */
    private Conversation givenDirect(UserId doctor, UserId patient) {
        return storage.conversations().openDirect(ConversationId.random(), doctor, patient, T0);
    }

    private Message send(Conversation c, UserId sender, String key, @Nullable Instant escalateAt) {
        NewMessage m = new NewMessage(MessageId.random(), c.id(), sender, key, "body",
                escalateAt == null ? Priority.NORMAL : Priority.URGENT, List.of(), T0).escalatingAt(escalateAt);
        return storage.messages().append(m).message();
    }

    private Message sendUrgent(Conversation c, UserId patient) {
        return send(c, patient, "k" + sequence.incrementAndGet(), T0.plus(DELAY));
    }

    /** The on-call roster. */
    @Nested
    @DisplayName("roster")
    public class Roster {

        @Test
        @DisplayName("nobody is on call at first; a roster is kept in the order given and replaced whole")
        void keptInOrderAndReplaced() {
            UserId a = givenUser(Role.DOCTOR).id();
            UserId b = givenUser(Role.DOCTOR).id();
            assertThat(escalations.onCall()).isEmpty();

            escalations.replaceOnCall(List.of(b, a));
            assertThat(escalations.onCall()).containsExactly(b, a);
            escalations.replaceOnCall(List.of(a));
            assertThat(escalations.onCall()).containsExactly(a);
            escalations.replaceOnCall(List.of());
            assertThat(escalations.onCall()).isEmpty();
        }

        @Test
        @DisplayName("a roster that repeats a doctor is refused and the old one stays")
        void repeatsRefused() {
            UserId a = givenUser(Role.DOCTOR).id();
            escalations.replaceOnCall(List.of(a));

            assertThatThrownBy(() -> escalations.replaceOnCall(List.of(a, a)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(escalations.onCall()).containsExactly(a);
        }
    }

    /** The escalation the message store writes with the message. */
    @Nested
    @DisplayName("scheduling")
    public class Scheduling {

        @Test
        @DisplayName("an appended message with an escalation time gets a pending escalation, due then")
        void urgentMessageScheduled() {
            UserId doctor = givenUser(Role.DOCTOR).id();
            UserId patient = givenUser(Role.PATIENT).id();
            Conversation c = givenDirect(doctor, patient);
            Message m = sendUrgent(c, patient);

            assertThat(escalations.find(c.id(), m.seq()))
                    .contains(new Escalation(c.id(), m.seq(), patient, T0.plus(DELAY), null));
            assertThat(escalations.due(T0.plus(DELAY).minusSeconds(1), 10)).isEmpty();
            assertThat(escalations.due(T0.plus(DELAY), 10)).extracting(Escalation::seq).containsExactly(m.seq());
        }

        @Test
        @DisplayName("a message without an escalation time, and a repeated clientMsgId, write none")
        void othersNotScheduled() {
            UserId doctor = givenUser(Role.DOCTOR).id();
            UserId patient = givenUser(Role.PATIENT).id();
            Conversation c = givenDirect(doctor, patient);
            Message plain = send(c, patient, "plain", null);
            Message urgent = send(c, patient, "urgent", T0.plus(DELAY));
            Message repeat = send(c, patient, "urgent", T0.plus(DELAY.multipliedBy(2)));

            assertThat(repeat.seq()).isEqualTo(urgent.seq());
            assertThat(escalations.find(c.id(), plain.seq())).isEmpty();
            assertThat(escalations.due(T0.plus(Duration.ofDays(1)), 10)).extracting(Escalation::dueAt)
                    .containsExactly(T0.plus(DELAY));
        }
    }

    /** Claims and their leases. */
    @Nested
    @DisplayName("claims")
    public class Claims {

        @Test
        @DisplayName("one claimant takes a due escalation; others fail while its lease lasts, and take over after")
        void oneClaimantAtATime() {
            UserId patient = givenUser(Role.PATIENT).id();
            Conversation c = givenDirect(givenUser(Role.DOCTOR).id(), patient);
            Message m = sendUrgent(c, patient);
            Instant due = T0.plus(DELAY);

            assertThat(escalations.claim(c.id(), m.seq(), "node-a", due.minusSeconds(1), due.plus(LEASE)))
                    .as("not due yet").isFalse();
            assertThat(escalations.claim(c.id(), m.seq(), "node-a", due, due.plus(LEASE))).isTrue();
            assertThat(escalations.claim(c.id(), m.seq(), "node-b", due.plusSeconds(1), due.plus(LEASE))).isFalse();
            assertThat(escalations.due(due.plusSeconds(1), 10)).as("claimed rows are not due").isEmpty();

            Instant later = due.plus(LEASE);
            assertThat(escalations.due(later, 10)).extracting(Escalation::seq).containsExactly(m.seq());
            assertThat(escalations.claim(c.id(), m.seq(), "node-b", later, later.plus(LEASE))).isTrue();
            assertThat(escalations.complete(c.id(), m.seq(), "node-a", EscalationOutcome.READ_IN_TIME, List.of(),
                    later)).as("the first claimant lost its claim").isEmpty();
            assertThat(escalations.complete(c.id(), m.seq(), "node-b", EscalationOutcome.READ_IN_TIME, List.of(),
                    later)).contains(List.of());
            assertThat(escalations.find(c.id(), m.seq()).orElseThrow().outcome())
                    .isEqualTo(EscalationOutcome.READ_IN_TIME);
        }

        @Test
        @DisplayName("of claimants racing for the same escalation on separate threads, exactly one wins")
        void concurrentClaimantsOneWins() throws Exception {
            UserId patient = givenUser(Role.PATIENT).id();
            Conversation c = givenDirect(givenUser(Role.DOCTOR).id(), patient);
            int rounds = 10;
            int claimants = 4;
            List<Message> urgent = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                urgent.add(sendUrgent(c, patient));
            }
            Instant due = T0.plus(DELAY);
            ExecutorService pool = Executors.newFixedThreadPool(claimants);
            try {
                for (Message m : urgent) {
                    CyclicBarrier start = new CyclicBarrier(claimants);
                    List<Future<Boolean>> won = new ArrayList<>();
                    for (int i = 0; i < claimants; i++) {
                        String claimant = "node-" + i;
                        won.add(pool.submit(() -> {
                            start.await(10, TimeUnit.SECONDS);
                            return escalations.claim(c.id(), m.seq(), claimant, due, due.plus(LEASE));
                        }));
                    }
                    int winners = 0;
                    for (Future<Boolean> w : won) {
                        winners += w.get(30, TimeUnit.SECONDS) ? 1 : 0;
                    }
                    assertThat(winners).as("winners for seq " + m.seq()).isEqualTo(1);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Ending an escalation with the on-call doctors' memberships. */
    @Nested
    @DisplayName("completion")
    public class Completion {

        @Test
        @DisplayName("completing adds the doctors who are not members from the urgent message on, once")
        void addsDoctorsOnce() {
            UserId doctor = givenUser(Role.DOCTOR).id();
            UserId patient = givenUser(Role.PATIENT).id();
            UserId onCall = givenUser(Role.DOCTOR).id();
            Conversation c = givenDirect(doctor, patient);
            send(c, patient, "before", null);
            Message m = sendUrgent(c, patient);
            send(c, patient, "after", null);
            Instant due = T0.plus(DELAY);
            escalations.claim(c.id(), m.seq(), "node-a", due, due.plus(LEASE));

            assertThat(escalations.complete(c.id(), m.seq(), "node-a", EscalationOutcome.ESCALATED,
                    List.of(doctor, onCall), due)).contains(List.of(onCall));

            MemberState added = storage.conversations().member(c.id(), onCall).orElseThrow();
            assertThat(added.joinedSeq()).isEqualTo(m.seq() - 1);
            assertThat(added.readSeq()).isEqualTo(m.seq() - 1);
            assertThat(added.unread()).isEqualTo(2);
            assertThat(storage.conversations().members(c.id())).hasSize(3);
            assertThat(escalations.complete(c.id(), m.seq(), "node-a", EscalationOutcome.ESCALATED,
                    List.of(doctor, onCall), due)).as("ended already").isEmpty();
            assertThat(escalations.due(due.plus(Duration.ofDays(1)), 10)).isEmpty();
            assertThat(escalations.escalated(c.id(), 10)).extracting(Escalation::seq).containsExactly(m.seq());
            assertThat(escalations.find(c.id(), m.seq()).orElseThrow().outcome())
                    .isEqualTo(EscalationOutcome.ESCALATED);
        }

        @Test
        @DisplayName("without the claim nothing is written")
        void unclaimedWritesNothing() {
            UserId patient = givenUser(Role.PATIENT).id();
            UserId onCall = givenUser(Role.DOCTOR).id();
            Conversation c = givenDirect(givenUser(Role.DOCTOR).id(), patient);
            Message m = sendUrgent(c, patient);

            assertThat(escalations.complete(c.id(), m.seq(), "node-a", EscalationOutcome.ESCALATED, List.of(onCall),
                    T0.plus(DELAY))).isEmpty();
            assertThat(storage.conversations().member(c.id(), onCall)).isEmpty();
            assertThat(escalations.find(c.id(), m.seq()).orElseThrow().pending()).isTrue();
        }

        @Test
        @DisplayName("an escalation that ended otherwise is not among the escalated")
        void otherOutcomesNotMarked() {
            UserId patient = givenUser(Role.PATIENT).id();
            Conversation c = givenDirect(givenUser(Role.DOCTOR).id(), patient);
            Message read = sendUrgent(c, patient);
            Message nobody = sendUrgent(c, patient);
            Instant due = T0.plus(DELAY);
            escalations.claim(c.id(), read.seq(), "n", due, due.plus(LEASE));
            escalations.claim(c.id(), nobody.seq(), "n", due, due.plus(LEASE));
            escalations.complete(c.id(), read.seq(), "n", EscalationOutcome.READ_IN_TIME, List.of(), due);
            escalations.complete(c.id(), nobody.seq(), "n", EscalationOutcome.NOBODY_ON_CALL, List.of(), due);

            assertThat(escalations.escalated(c.id(), 10)).isEmpty();
            assertThat(escalations.find(c.id(), nobody.seq()).orElseThrow().outcome())
                    .isEqualTo(EscalationOutcome.NOBODY_ON_CALL);
        }
    }
}

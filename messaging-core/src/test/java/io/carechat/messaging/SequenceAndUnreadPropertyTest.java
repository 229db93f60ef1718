package io.carechat.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.memory.InMemoryAuditSink;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random interleavings of sends, delivered receipts and read receipts by the three members of a
 * care-team conversation, run through the facade on the in-memory stores, checked after every
 * step against a model that only remembers who sent each {@code seq}.
 */
@Label("Sequence and unread rules under random interleavings")
class SequenceAndUnreadPropertyTest {

    /** One step by one member (0, 1 or 2). */
    sealed interface Step permits Send, Deliver, Read {
        int member();
    }

    /** The member sends a message. */
    record Send(int member) implements Step {}

    /** The member's device reports delivery up to a share of the history (above 100 overshoots). */
    record Deliver(int member, int percent) implements Step {}

    /** The member reads up to a share of the history (above 100 overshoots). */
    record Read(int member, int percent) implements Step {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> member = Arbitraries.integers().between(0, 2);
        Arbitrary<Integer> percent = Arbitraries.integers().between(0, 130);
        Arbitrary<Step> send = member.map(Send::new);
        Arbitrary<Step> deliver = Combinators.combine(member, percent).as(Deliver::new);
        Arbitrary<Step> read = Combinators.combine(member, percent).as(Read::new);
        return Arbitraries.frequencyOf(Tuple.of(4, send), Tuple.of(1, deliver), Tuple.of(2, read))
                .list().ofMaxSize(60);
    }

    @Property(tries = 150)
    @Label("seq runs 1..N without gaps, in the order the sends happened")
    void seqIsGapless(@ForAll("steps") List<Step> steps) {
        try (Run run = new Run()) {
            List<Long> seqs = new ArrayList<>();
            for (Step step : steps) {
                Message sent = run.apply(step);
                if (sent != null) {
                    seqs.add(sent.seq());
                }
            }
            List<Long> expected = LongStream.rangeClosed(1, seqs.size()).boxed().toList();
            assertThat(seqs).containsExactlyElementsOf(expected);
            assertThat(run.messaging.history(run.caller(0), run.conversation.id(), null, 100).messages())
                    .extracting(Message::seq).containsExactlyElementsOf(expected.subList(
                            Math.max(0, expected.size() - 100), expected.size()));
        }
    }

    @Property(tries = 150)
    @Label("after every step, each member's unread count is the number of messages others sent above their readSeq")
    void unreadIsOthersAboveReadSeq(@ForAll("steps") List<Step> steps) {
        try (Run run = new Run()) {
            for (Step step : steps) {
                run.apply(step);
                for (int m = 0; m < 3; m++) {
                    MemberState state = run.state(m);
                    long expected = run.sentOthersAbove(m, state.readSeq());
                    assertThat(state.unread()).as("member %d after %s", m, step).isEqualTo(expected);
                    assertThat(run.messaging.unread(run.caller(m)).of(run.conversation.id()))
                            .as("unread() of member %d after %s", m, step).isEqualTo(expected);
                }
            }
        }
    }

    @Property(tries = 150)
    @Label("receipts never fall, never pass the last seq, and read never passes delivered")
    void receiptsNeverFall(@ForAll("steps") List<Step> steps) {
        try (Run run = new Run()) {
            long[] delivered = new long[3];
            long[] read = new long[3];
            for (Step step : steps) {
                run.apply(step);
                for (int m = 0; m < 3; m++) {
                    MemberState state = run.state(m);
                    assertThat(state.deliveredSeq()).as("delivered of %d", m)
                            .isGreaterThanOrEqualTo(delivered[m]).isLessThanOrEqualTo(run.senders.size());
                    assertThat(state.readSeq()).as("read of %d", m)
                            .isGreaterThanOrEqualTo(read[m]).isLessThanOrEqualTo(state.deliveredSeq());
                    delivered[m] = state.deliveredSeq();
                    read[m] = state.readSeq();
                }
            }
        }
    }

    /** A fresh facade, three members in a group, and the model: who sent each seq. */
    private static final class Run implements AutoCloseable {
        final InMemoryStorage storage = new InMemoryStorage();
        final InMemoryEventBus bus = new InMemoryEventBus();
        final Messaging messaging = Messaging.builder().storage(storage).eventBus(bus)
                .auditSink(new InMemoryAuditSink()).keyProvider(StaticKeyProvider.generate("k1"))
                .clock(Clock.fixed(Clinic.START, ZoneOffset.UTC)).build();
        final List<User> members = new ArrayList<>();
        final List<Integer> senders = new ArrayList<>();
        final Conversation conversation;

        Run() {
            Role[] roles = {Role.DOCTOR, Role.DOCTOR, Role.PATIENT};
            for (int i = 0; i < 3; i++) {
                members.add(storage.users().create(new User(UserId.random(), "member" + i,
                        "member" + i + "@hospital.example", "Member " + i, Set.of(roles[i]), true,
                        Clinic.START), "placeholder-hash"));
            }
            conversation = storage.conversations().createGroup(ConversationId.random(),
                    members.stream().map(User::id).toList(), Clinic.START);
        }

        Caller caller(int member) {
            return Caller.of(members.get(member));
        }

        /** Applies a step; returns the message when it was a send. */
        Message apply(Step step) {
            long target = step instanceof Deliver d ? d.percent() * senders.size() / 100
                    : step instanceof Read r ? r.percent() * senders.size() / 100 : 0;
            if (step instanceof Send) {
                Message sent = messaging.send(caller(step.member()),
                        SendRequest.text(conversation.id(), "c" + senders.size(), "text"));
                senders.add(step.member());
                return sent;
            }
            if (step instanceof Deliver) {
                messaging.markDelivered(caller(step.member()), conversation.id(), target);
            } else {
                messaging.markRead(caller(step.member()), conversation.id(), target);
            }
            return null;
        }

        MemberState state(int member) {
            return storage.conversations().member(conversation.id(), members.get(member).id()).orElseThrow();
        }

        long sentOthersAbove(int member, long readSeq) {
            long count = 0;
            for (int seq = (int) readSeq + 1; seq <= senders.size(); seq++) {
                if (senders.get(seq - 1) != member) {
                    count++;
                }
            }
            return count;
        }

        @Override
        public void close() {
            messaging.close();
            bus.close();
        }
    }
}

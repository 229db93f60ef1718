package io.carechat.messaging;

import static io.carechat.messaging.Clinic.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Whatever the order of sends, additions and removals, a care-team member sees exactly the
 * messages after the {@code seq} they last joined at, their unread count is the others' messages
 * among them, and a user removed is refused.
 */
@Label("Care-team visibility")
class CareTeamVisibilityPropertyTest {

    /** One step: a founding member (0 doctor, 1 patient, 2 colleague) sends, or the floater joins, leaves or sends. */
    sealed interface Step permits Send, Join, Leave, FloaterSends {}

    /** A founding member sends. */
    record Send(int member) implements Step {}

    /** The floater is added (ignored when a member). */
    record Join() implements Step {}

    /** The floater is removed (ignored when not a member). */
    record Leave() implements Step {}

    /** The floater sends (ignored when not a member). */
    record FloaterSends() implements Step {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> send = Arbitraries.integers().between(0, 2).map(Send::new);
        return Arbitraries.frequencyOf(Tuple.of(5, send), Tuple.of(1, Arbitraries.just(new Join())),
                Tuple.of(1, Arbitraries.just(new Leave())), Tuple.of(2, Arbitraries.just(new FloaterSends())))
                .list().ofMaxSize(40);
    }

    @Property(tries = 100)
    @Label("a member sees the messages after joinedSeq only, counts others' among them unread, and is refused once removed")
    void visibilityFollowsMembership(@ForAll("steps") List<Step> steps) {
        try (Clinic clinic = new Clinic()) {
            List<User> founders = List.of(clinic.doctor, clinic.patient, clinic.otherDoctor);
            User floater = clinic.otherPatient;
            Conversation team = clinic.messaging.createGroup(as(clinic.doctor), "Team",
                    List.of(clinic.patient.id(), clinic.otherDoctor.id()));
            List<Boolean> sentByFloater = new ArrayList<>();
            boolean member = false;
            long joinedSeq = 0;
            int keys = 0;
            for (Step step : steps) {
                if (step instanceof Send s) {
                    clinic.messaging.send(as(founders.get(s.member())), SendRequest.text(team.id(), "k" + keys++, "x"));
                    sentByFloater.add(false);
                } else if (step instanceof Join && !member) {
                    clinic.messaging.addMember(as(clinic.doctor), team.id(), floater.id());
                    member = true;
                    joinedSeq = sentByFloater.size();
                } else if (step instanceof Leave && member) {
                    clinic.messaging.removeMember(as(clinic.otherDoctor), team.id(), floater.id());
                    member = false;
                } else if (step instanceof FloaterSends && member) {
                    clinic.messaging.send(as(floater), SendRequest.text(team.id(), "k" + keys++, "x"));
                    sentByFloater.add(true);
                }
                long last = sentByFloater.size();
                if (member) {
                    long from = joinedSeq;
                    List<Long> expected = LongStream.rangeClosed(from + 1, last).boxed().toList();
                    assertThat(clinic.messaging.history(as(floater), team.id(), null, 100).messages())
                            .extracting(Message::seq).as("history after %s", step).containsExactlyElementsOf(expected);
                    long othersSince = LongStream.rangeClosed(from + 1, last)
                            .filter(seq -> !sentByFloater.get((int) seq - 1)).count();
                    assertThat(clinic.messaging.unread(as(floater)).of(team.id())).as("unread after %s", step)
                            .isEqualTo(othersSince);
                } else {
                    assertThatThrownBy(() -> clinic.messaging.history(as(floater), team.id(), null, 100))
                            .as("history of a non-member after %s", step).isInstanceOf(NotFoundException.class);
                }
            }
        }
    }
}

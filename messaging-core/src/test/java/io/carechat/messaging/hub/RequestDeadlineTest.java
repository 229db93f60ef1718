package io.carechat.messaging.hub;

import static io.carechat.messaging.hub.HubFixture.ANN;
import static io.carechat.messaging.hub.HubFixture.DOCTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.protocol.ClientFrame;
import io.carechat.messaging.protocol.ServerFrame;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every request is answered by its deadline, counted from its arrival, whatever storage does: the
 * defect found by {@code DatabaseOutageIT}, where sends waited for a commit (and requests for a
 * pooled connection) longer than clients wait, is held here with storage that never answers.
 */
@DisplayName("Request deadlines")
class RequestDeadlineTest {
    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final HubSettings SETTINGS =
            HubSettings.builder().timerInterval(Duration.ofHours(1)).requestDeadline(DEADLINE).build();

    private static ClientFrame.Send send(String ref, ConversationId chat, String clientMsgId) {
        return new ClientFrame.Send(ref, chat, clientMsgId, "body of " + clientMsgId, Priority.NORMAL, List.of());
    }

    private static List<ServerFrame> answersAfter(HubFixture.Client client, int before) {
        return client.connection().frames().subList(before, client.connection().texts().size());
    }

    @Test
    @DisplayName("a send whose commit does not come is answered unavailable at its deadline; the answers held behind it follow, and its retry gets the message once committed")
    void uncommittedSendIsAnsweredUnavailable() {
        HeldAppends held = new HeldAppends();
        try (HubFixture fixture = new HubFixture(SETTINGS, Runnable::run, held::wrap)) {
            ConversationId chat = fixture.messaging.openDirect(fixture.caller(DOCTOR), ANN).id();
            HubFixture.Client doctor = fixture.connect(DOCTOR);
            int before = doctor.connection().texts().size();
            doctor.sendFrame(send("s1", chat, "m1"));
            doctor.sendFrame(new ClientFrame.Ping("p1"));

            fixture.clock.advance(DEADLINE.minusMillis(1));
            fixture.tick();
            assertThat(answersAfter(doctor, before)).as("nothing before the deadline").isEmpty();

            fixture.clock.advance(Duration.ofMillis(1));
            fixture.tick();
            List<ServerFrame> answers = answersAfter(doctor, before);
            assertThat(answers).hasSize(2);
            assertThat(answers.get(0)).isInstanceOfSatisfying(ServerFrame.Error.class, e -> {
                assertThat(e.ref()).isEqualTo("s1");
                assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            });
            assertThat(answers.get(1)).isInstanceOfSatisfying(ServerFrame.Pong.class,
                    pong -> assertThat(pong.ref()).isEqualTo("p1"));

            held.commit(0);
            assertThat(answersAfter(doctor, before)).as("the late commit is not answered a second time").hasSize(2);

            doctor.sendFrame(send("s2", chat, "m1"));
            held.commit(1);
            List<ServerFrame.Sent> sent = doctor.connection().frames(ServerFrame.Sent.class);
            assertThat(sent).extracting(ServerFrame.Sent::ref).containsExactly("s2");
            assertThat(sent.get(0).message().seq()).as("the retry gets the message stored once").isEqualTo(1);
            assertThat(fixture.messaging.history(fixture.caller(DOCTOR), chat, null, null).messages()).hasSize(1);
        }
    }

    @Test
    @DisplayName("a request whose turn comes after its deadline is answered unavailable and not served")
    void lateTurnIsNotServed() {
        HeldAppends held = new HeldAppends();
        QueueExecutor workers = new QueueExecutor();
        try (HubFixture fixture = new HubFixture(SETTINGS, workers, held::wrap)) {
            ConversationId chat = fixture.messaging.openDirect(fixture.caller(DOCTOR), ANN).id();
            HubFixture.Client doctor = fixture.connect(DOCTOR);
            workers.runAll();
            int before = doctor.connection().texts().size();

            doctor.sendFrame(send("s1", chat, "m1"));
            fixture.clock.advance(DEADLINE);
            workers.runAll();

            assertThat(answersAfter(doctor, before)).singleElement().isInstanceOfSatisfying(ServerFrame.Error.class,
                    e -> {
                        assertThat(e.ref()).isEqualTo("s1");
                        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    });
            assertThat(held.pending).as("the send never reached the store").isEmpty();
        }
    }

    @Test
    @DisplayName("a session whose token cannot be checked because storage is unavailable is closed 1013, to try again later")
    void uncheckableTokenIsTryAgainLater() {
        try (HubFixture fixture = new HubFixture(SETTINGS)) {
            fixture.verifierFailure = new UnavailableException("storage is unavailable, retry later");

            HubFixture.Client ann = fixture.connect(ANN);

            assertThat(ann.connection().closeCode()).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
            assertThat(ann.connection().closeReason()).isEqualTo("unavailable");
        }
    }
}

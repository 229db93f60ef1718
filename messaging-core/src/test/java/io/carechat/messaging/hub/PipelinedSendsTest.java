package io.carechat.messaging.hub;

import static io.carechat.messaging.hub.HubFixture.ANN;
import static io.carechat.messaging.hub.HubFixture.DOCTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.protocol.ClientFrame;
import io.carechat.messaging.protocol.ServerFrame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A socket pipelines its sends: each goes to the store without waiting for the one before it to
 * commit, and the answers still leave in the order the requests came.
 */
@DisplayName("Pipelined sends")
class PipelinedSendsTest {
    private final HeldAppends held = new HeldAppends();
    private final HubFixture fixture = new HubFixture(
            HubSettings.builder().timerInterval(Duration.ofHours(1)).build(), Runnable::run, held::wrap);

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    @DisplayName("two sends reach the store before either commits; sent and later answers leave in request order")
    void sendsOverlapAndAnswersKeepTheirOrder() {
        ConversationId chat = fixture.messaging.openDirect(fixture.caller(DOCTOR), ANN).id();
        HubFixture.Client doctor = fixture.connect(DOCTOR);
        int before = doctor.connection().texts().size();

        doctor.sendFrame(new ClientFrame.Send("s1", chat, "m1", "first", Priority.NORMAL, List.of()));
        doctor.sendFrame(new ClientFrame.Send("s2", chat, "m2", "second", Priority.NORMAL, List.of()));
        doctor.sendFrame(new ClientFrame.Ping("p1"));

        assertThat(held.pending).as("both sends are in the store at once").hasSize(2);
        assertThat(doctor.connection().texts()).as("nothing is answered before the first commit").hasSize(before);

        held.commit(1);
        assertThat(doctor.connection().texts()).as("the second send's answer waits for the first's").hasSize(before);

        held.commit(0);
        List<ServerFrame> answers = doctor.connection().frames().subList(before, doctor.connection().texts().size());
        assertThat(answers).hasSize(3);
        assertThat(answers.get(0)).isInstanceOfSatisfying(ServerFrame.Sent.class,
                sent -> assertThat(sent.ref()).isEqualTo("s1"));
        assertThat(answers.get(1)).isInstanceOfSatisfying(ServerFrame.Sent.class,
                sent -> assertThat(sent.ref()).isEqualTo("s2"));
        assertThat(answers.get(2)).isInstanceOfSatisfying(ServerFrame.Pong.class,
                pong -> assertThat(pong.ref()).isEqualTo("p1"));
    }

    @Test
    @DisplayName("a drain waits for a send's commit and completes once its sent went out")
    void drainWaitsForTheCommit() {
        ConversationId chat = fixture.messaging.openDirect(fixture.caller(DOCTOR), ANN).id();
        HubFixture.Client doctor = fixture.connect(DOCTOR);

        doctor.sendFrame(new ClientFrame.Send("s1", chat, "m1", "first", Priority.NORMAL, List.of()));
        CompletableFuture<Void> drained = doctor.session().drain().toCompletableFuture();
        assertThat(drained).as("the send is not committed yet").isNotDone();

        held.commit(0);
        assertThat(drained).isCompleted();
        assertThat(doctor.connection().frames(ServerFrame.Sent.class)).extracting(ServerFrame.Sent::ref)
                .containsExactly("s1");
    }

    @Test
    @DisplayName("a committed message reaches the members at once, while the sender's request queue is still busy")
    void commitIsFannedOutWithoutWaitingForTheSendersQueue() {
        HeldAppends appends = new HeldAppends();
        QueueExecutor workers = new QueueExecutor();
        try (HubFixture queued = new HubFixture(HubSettings.builder().timerInterval(Duration.ofHours(1)).build(),
                workers, appends::wrap)) {
            ConversationId chat = queued.messaging.openDirect(queued.caller(DOCTOR), ANN).id();
            HubFixture.Client doctor = queued.connect(DOCTOR);
            HubFixture.Client ann = queued.connect(ANN);
            workers.runAll();
            doctor.sendFrame(new ClientFrame.Send("s1", chat, "m1", "first", Priority.NORMAL, List.of()));
            workers.runAll();
            assertThat(appends.pending).hasSize(1);

            appends.commit(0);

            assertThat(ann.connection().frames(ServerFrame.Message.class)).as("before the sender's queue runs again")
                    .extracting(m -> m.message().seq()).containsExactly(1L);
            assertThat(doctor.connection().frames(ServerFrame.Sent.class)).as("the answer waits for the queue").isEmpty();
            workers.runAll();
            assertThat(doctor.connection().frames(ServerFrame.Sent.class)).extracting(ServerFrame.Sent::ref)
                    .containsExactly("s1");
            assertThat(doctor.connection().frames(ServerFrame.Message.class)).as("no echo of its own send").isEmpty();
        }
    }
}

package io.carechat.messaging.websocket;

import static io.carechat.messaging.websocket.ChatServer.ANN;
import static io.carechat.messaging.websocket.ChatServer.BEN;
import static io.carechat.messaging.websocket.ChatServer.DOCTOR;
import static io.carechat.messaging.websocket.ChatServer.OTHER_DOCTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationKind;
import io.carechat.messaging.model.ConversationMember;
import io.carechat.messaging.model.MessagingLimits;
import io.carechat.messaging.model.Rate;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.websocket.client.CareChatClient;
import io.carechat.messaging.websocket.client.ServerErrorException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A care team over the WebSocket server with the Java client")
class CareTeamOverWebSocketTest {
    private final ChatServer chat = new ChatServer(io.carechat.messaging.hub.HubSettings.builder()
            .timerInterval(java.time.Duration.ofMillis(50))
            .build(), MessagingLimits.builder().sendRate(Rate.MAX, Rate.MAX).build());

    @AfterEach
    void stop() {
        chat.close();
    }

    @Test
    @DisplayName("fan-out reaches every member's every socket; a member added and removed gets members frames and nothing after removal")
    void fanOutAndMembership() {
        Recorder doctorHears = new Recorder();
        Recorder annOne = new Recorder();
        Recorder annTwo = new Recorder();
        Recorder colleagueHears = new Recorder();
        Recorder benHears = new Recorder();
        CareChatClient doctor = chat.connect(DOCTOR, doctorHears);
        CareChatClient ann = chat.connect(ANN, annOne);
        chat.connect(ANN, annTwo);
        CareChatClient colleague = chat.connect(OTHER_DOCTOR, colleagueHears);
        CareChatClient ben = chat.connect(BEN, benHears);

        Conversation team = Await.done(doctor.openGroup("Ward 3", List.of(ANN, OTHER_DOCTOR)));
        assertThat(team.kind()).isEqualTo(ConversationKind.GROUP);
        assertThat(team.title()).isEqualTo("Ward 3");
        Throwable refused = Await.failure(ann.openGroup("Mine", List.of(DOCTOR, OTHER_DOCTOR)));
        assertThat(((ServerErrorException) refused).code()).isEqualTo(ErrorCode.FORBIDDEN);

        Await.done(doctor.send(team.id(), "one"));
        Await.done(colleague.send(team.id(), "two"));
        annOne.awaitMessages(2);
        annTwo.awaitMessages(2);
        doctorHears.awaitMessages(1);
        colleagueHears.awaitMessages(1);
        assertThat(annOne.bodies()).containsExactly("one", "two");
        assertThat(annTwo.bodies()).containsExactly("one", "two");

        Caller doctorCaller = Caller.of(DOCTOR, Set.of(Role.DOCTOR));
        chat.messaging.addMember(doctorCaller, team.id(), BEN);
        Await.until("members frames on every socket", () -> annOne.members.size() == 1 && annTwo.members.size() == 1
                && benHears.members.size() == 1 && colleagueHears.members.size() == 1);
        assertThat(benHears.members.get(0).members()).extracting(ConversationMember::id)
                .containsExactly(DOCTOR, ANN, OTHER_DOCTOR, BEN);
        assertThat(benHears.members.get(0).members().get(3).joinedSeq()).isEqualTo(2);
        assertThat(Await.done(ben.history(team.id(), null, null)).messages()).isEmpty();

        chat.messaging.removeMember(doctorCaller, team.id(), ANN);
        Await.until("the removed member's sockets hear of it", () -> annOne.members.size() == 2 && annTwo.members.size() == 2);
        assertThat(annOne.members.get(1).members()).extracting(ConversationMember::id).doesNotContain(ANN);
        Await.done(doctor.send(team.id(), "three"));
        benHears.awaitMessages(1);
        Await.done(ann.ping());
        assertThat(annOne.bodies()).containsExactly("one", "two");
        assertThat(annTwo.bodies()).containsExactly("one", "two");
        Throwable gone = Await.failure(ann.history(team.id(), null, null));
        assertThat(((ServerErrorException) gone).code()).isEqualTo(ErrorCode.NOT_FOUND);
    }
}

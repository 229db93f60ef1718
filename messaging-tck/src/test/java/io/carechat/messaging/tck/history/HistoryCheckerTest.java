package io.carechat.messaging.tck.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.UserId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The history checker names every broken promise, and passes a run that kept them")
class HistoryCheckerTest {
    private static final UserId DOCTOR = UserId.of("dr");
    private static final UserId PATIENT = UserId.of("pat");
    private static final UserId STRANGER = UserId.of("stranger");
    private static final ConversationId CHAT = ConversationId.of("c1");
    private static final ConversationId OTHER = ConversationId.of("c2");

    private final ClientHistory history = new ClientHistory();
    private final List<StoredMessage> stored = new ArrayList<>();

    @BeforeEach
    void aCleanRun() {
        history.member(DOCTOR, CHAT);
        history.member(PATIENT, CHAT);
        for (int seq = 1; seq <= 3; seq++) {
            StoredMessage m = new StoredMessage(CHAT, MessageId.of("m" + seq), seq, PATIENT, "p-" + seq);
            stored.add(m);
            history.acknowledged(PATIENT, CHAT, m.clientMsgId(), m.id(), seq);
            history.received(DOCTOR, CHAT, m.id(), seq);
        }
        history.read(DOCTOR, CHAT, 2);
        history.unreadReported(DOCTOR, CHAT, 1);
    }

    private List<String> violations() {
        return HistoryChecker.check(history, stored).violations();
    }

    @Test
    @DisplayName("A run that kept every promise passes, duplicates of a delivery included")
    void cleanRunPasses() {
        history.received(DOCTOR, CHAT, MessageId.of("m2"), 2);
        HistoryChecker.Verdict verdict = HistoryChecker.check(history, stored);
        assertThat(verdict.violations()).isEmpty();
        assertThat(verdict.acknowledged()).isEqualTo(3);
        assertThat(verdict.deliveries()).isEqualTo(3);
        verdict.assertPassed();
    }

    @Test
    @DisplayName("An acknowledged message missing from storage is named")
    void lostAcknowledgedMessage() {
        stored.remove(2);
        assertThat(violations()).anyMatch(v -> v.contains("acknowledged message p-3") && v.contains("not stored"));
    }

    @Test
    @DisplayName("A message stored twice, or a clientMsgId stored twice, is named")
    void duplicates() {
        stored.add(new StoredMessage(CHAT, MessageId.of("m4"), 4, PATIENT, "p-1"));
        history.received(DOCTOR, CHAT, MessageId.of("m4"), 4);
        assertThat(violations()).anyMatch(v -> v.contains("clientMsgId p-1") && v.contains("stored twice"));
    }

    @Test
    @DisplayName("An acknowledgement with another seq than stored is named")
    void wrongSeq() {
        history.acknowledged(PATIENT, CHAT, "p-2", MessageId.of("m2"), 7);
        assertThat(violations()).anyMatch(v -> v.contains("acknowledged as seq 7"));
    }

    @Test
    @DisplayName("A gap in a conversation's seq is named")
    void gap() {
        stored.add(new StoredMessage(CHAT, MessageId.of("m5"), 5, DOCTOR, "d-5"));
        assertThat(violations()).anyMatch(v -> v.contains("jumps from 3 to 5"));
    }

    @Test
    @DisplayName("A member who missed a message is named")
    void missedDelivery() {
        stored.add(new StoredMessage(CHAT, MessageId.of("m4"), 4, PATIENT, "p-4"));
        assertThat(violations()).anyMatch(v -> v.contains("dr never received seq 4"));
    }

    @Test
    @DisplayName("Messages delivered out of seq order are named")
    void outOfOrder() {
        ClientHistory reordered = new ClientHistory();
        reordered.member(DOCTOR, CHAT);
        reordered.received(DOCTOR, CHAT, MessageId.of("m2"), 2);
        reordered.received(DOCTOR, CHAT, MessageId.of("m1"), 1);
        reordered.received(DOCTOR, CHAT, MessageId.of("m3"), 3);
        assertThat(HistoryChecker.check(reordered, stored).violations()).anyMatch(v -> v.contains("seq 1 of c1 after seq 2"));
    }

    @Test
    @DisplayName("A sender's own acknowledged message arriving after later ones breaks no order; another member's does")
    void ownAcknowledgedMessageIsOutsideTheOrder() {
        ClientHistory reconnected = new ClientHistory();
        reconnected.member(PATIENT, CHAT);
        reconnected.member(DOCTOR, CHAT);
        StoredMessage own = new StoredMessage(CHAT, MessageId.of("m1"), 1, PATIENT, "p-1");
        StoredMessage reply = new StoredMessage(CHAT, MessageId.of("m2"), 2, DOCTOR, "d-2");
        List<StoredMessage> both = List.of(own, reply);
        // the answer to the patient's send was lost with its connection: the doctor's reply came
        // first, then the patient's own message in the next connection's backlog, then the retry's answer
        reconnected.received(PATIENT, CHAT, reply.id(), 2);
        reconnected.received(PATIENT, CHAT, own.id(), 1);
        reconnected.acknowledged(PATIENT, CHAT, "p-1", own.id(), 1);
        reconnected.received(DOCTOR, CHAT, own.id(), 1);
        reconnected.acknowledged(DOCTOR, CHAT, "d-2", reply.id(), 2);
        assertThat(HistoryChecker.check(reconnected, both).violations()).isEmpty();

        reconnected.member(UserId.of("nurse"), CHAT);
        reconnected.received(UserId.of("nurse"), CHAT, reply.id(), 2);
        reconnected.received(UserId.of("nurse"), CHAT, own.id(), 1);
        assertThat(HistoryChecker.check(reconnected, both).violations())
                .containsExactly("nurse received seq 1 of c1 after seq 2 (a message of pat)");
    }

    @Test
    @DisplayName("A message reaching someone outside its conversation is named")
    void foreignDelivery() {
        history.member(STRANGER, OTHER);
        history.received(STRANGER, CHAT, MessageId.of("m1"), 1);
        assertThat(violations()).anyMatch(v -> v.contains("stranger received message m1") && v.contains("not a member"));
    }

    @Test
    @DisplayName("An unread count that does not match the read position is named")
    void wrongUnread() {
        history.unreadReported(DOCTOR, CHAT, 3);
        assertThat(violations()).anyMatch(v -> v.contains("was told 3 unread") && v.contains("but 1 follow"));
    }

    @Test
    @DisplayName("assertPassed fails with the violations listed")
    void assertPassedFails() {
        stored.remove(0);
        assertThatThrownBy(() -> HistoryChecker.check(history, stored).assertPassed())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("broken promises")
                .hasMessageContaining("p-1");
    }
}

package io.carechat.messaging.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("MessageCommitted")
class MessageCommittedTest {
    private static final UserId DOCTOR = UserId.of("doctor-1");
    private static final UserId PATIENT = UserId.of("patient-1");
    private static final Message MESSAGE = new Message(MessageId.of("message-1"), ConversationId.of("conversation-1"),
            7, DOCTOR, "secret body text", Priority.NORMAL, Instant.EPOCH, "client-1", List.of());

    @Test
    @DisplayName("as buses carry it, it names the message by ids and holds no message")
    void idsOnly() {
        MessageCommitted event =
                MessageCommitted.of(MESSAGE.id(), MESSAGE.conversationId(), 7, List.of(DOCTOR, PATIENT));

        assertThat(event.message()).isEmpty();
        assertThat(event.messageId()).isEqualTo(MESSAGE.id());
        assertThat(event.conversationId()).isEqualTo(MESSAGE.conversationId());
        assertThat(event.seq()).isEqualTo(7);
        assertThat(event.memberIds()).containsExactly(DOCTOR, PATIENT);
    }

    @Test
    @DisplayName("opened, it carries the message and takes its ids from it; it differs from the ids-only event")
    void opened() {
        MessageCommitted opened = MessageCommitted.opened(MESSAGE, List.of(DOCTOR, PATIENT));
        MessageCommitted idsOnly =
                MessageCommitted.of(MESSAGE.id(), MESSAGE.conversationId(), 7, List.of(DOCTOR, PATIENT));

        assertThat(opened.message()).contains(MESSAGE);
        assertThat(opened.messageId()).isEqualTo(idsOnly.messageId());
        assertThat(opened.seq()).isEqualTo(7);
        assertThat(opened).isNotEqualTo(idsOnly).isEqualTo(MessageCommitted.opened(MESSAGE, List.of(DOCTOR, PATIENT)));
        assertThat(opened.hashCode()).isEqualTo(MessageCommitted.opened(MESSAGE, List.of(DOCTOR, PATIENT)).hashCode());
    }

    @Test
    @DisplayName("its text names ids only, never the body")
    void toStringLeavesOutTheBody() {
        assertThat(MessageCommitted.opened(MESSAGE, List.of(DOCTOR)).toString())
                .contains("message-1", "conversation-1").doesNotContain("secret");
    }

    @Test
    @DisplayName("copies the member list, and refuses a seq below 1")
    void checksItsFields() {
        List<UserId> members = new ArrayList<>(List.of(DOCTOR));
        MessageCommitted event = MessageCommitted.of(MESSAGE.id(), MESSAGE.conversationId(), 1, members);
        members.add(PATIENT);

        assertThat(event.memberIds()).containsExactly(DOCTOR);
        assertThatThrownBy(() -> MessageCommitted.of(MESSAGE.id(), MESSAGE.conversationId(), 0, members))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

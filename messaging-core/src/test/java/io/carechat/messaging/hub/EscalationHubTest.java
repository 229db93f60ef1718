package io.carechat.messaging.hub;

import static io.carechat.messaging.hub.HubFixture.ANN;
import static io.carechat.messaging.hub.HubFixture.BEN;
import static io.carechat.messaging.hub.HubFixture.DOCTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.event.ConversationEscalated;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.protocol.ServerFrame;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The hub and urgent escalations")
class EscalationHubTest {
    private final HubFixture fixture = new HubFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    @DisplayName("every socket of each on-call doctor the event names gets an escalation notice; no one else's")
    void noticeToOnCallDoctors() {
        HubFixture.Client doctor = fixture.connect(DOCTOR);
        HubFixture.Client doctorAgain = fixture.connect(DOCTOR);
        HubFixture.Client ann = fixture.connect(ANN);
        HubFixture.Client ben = fixture.connect(BEN);
        Conversation conv = fixture.messaging.openDirect(fixture.caller(DOCTOR), ANN);

        fixture.bus.publish(new ConversationEscalated(conv.id(), 3, List.of(DOCTOR)));

        ServerFrame.EscalationNotice expected = new ServerFrame.EscalationNotice(conv.id(), 3);
        assertThat(doctor.connection().frames(ServerFrame.EscalationNotice.class)).containsExactly(expected);
        assertThat(doctorAgain.connection().frames(ServerFrame.EscalationNotice.class)).containsExactly(expected);
        assertThat(ann.connection().frames(ServerFrame.EscalationNotice.class)).isEmpty();
        assertThat(ben.connection().frames(ServerFrame.EscalationNotice.class)).isEmpty();
    }
}

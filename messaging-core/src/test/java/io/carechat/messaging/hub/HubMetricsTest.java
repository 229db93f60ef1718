package io.carechat.messaging.hub;

import static io.carechat.messaging.hub.HubFixture.ANN;
import static io.carechat.messaging.hub.HubFixture.BEN;
import static io.carechat.messaging.hub.HubFixture.DOCTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.event.Resync;
import io.carechat.messaging.hub.HubFixture.Client;
import io.carechat.messaging.metrics.MicrometerMetrics;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.protocol.ClientFrame;
import io.carechat.messaging.protocol.ServerFrame;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The hub records its sockets, fan-out, bus lag and closes on the facade's registry")
class HubMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HubFixture fixture = new HubFixture(registry);

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private ConversationId conversation() {
        return fixture.messaging.openDirect(fixture.caller(DOCTOR), ANN).id();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    @Test
    @DisplayName("open sockets and sessions follow connects and closes")
    void socketsAndSessions() {
        Client doctor = fixture.connect(DOCTOR);
        Client unauthenticated = fixture.open(null);
        assertThat(gauge(MicrometerMetrics.SOCKETS_OPEN)).isEqualTo(2);
        assertThat(gauge(MicrometerMetrics.SESSIONS_OPEN)).isEqualTo(1);

        doctor.session().onClose();
        unauthenticated.session().onClose();

        assertThat(gauge(MicrometerMetrics.SOCKETS_OPEN)).isZero();
        assertThat(gauge(MicrometerMetrics.SESSIONS_OPEN)).isZero();
    }

    @Test
    @DisplayName("a committed message counts a send, its ack latency, its fan-out to every live socket and its bus lag")
    void sendFanOutAndLag() {
        ConversationId conversation = conversation();
        Client doctor = fixture.connect(DOCTOR);
        Client ann = fixture.connect(ANN);
        fixture.connect(ANN);

        doctor.sendFrame(new ClientFrame.Send("s1", conversation, "m-1", "hello", Priority.NORMAL, List.of()));

        assertThat(ann.connection().frames(ServerFrame.Message.class)).hasSize(1);
        assertThat(registry.get(MicrometerMetrics.SENDS).tag("outcome", "ok").counter().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerMetrics.ACK_LATENCY).timer().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerMetrics.FAN_OUT).summary().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerMetrics.FAN_OUT).summary().totalAmount()).isEqualTo(3);
        assertThat(registry.get(MicrometerMetrics.BUS_LAG).timer().count()).isEqualTo(1);
    }

    @Test
    @DisplayName("a catch-up after the bus lost events is counted")
    void catchUp() {
        fixture.connect(DOCTOR);

        fixture.bus.publish(new Resync());

        assertThat(registry.get(MicrometerMetrics.BUS_CATCH_UPS).counter().count()).isEqualTo(1);
    }

    @Test
    @DisplayName("a socket the hub closes is counted by its close reason")
    void closesByReason() {
        fixture.open("not-a-token");

        assertThat(registry.get(MicrometerMetrics.SOCKETS_CLOSED).tag("reason", "unauthenticated").counter().count())
                .isEqualTo(1);
    }

    @Test
    @DisplayName("no meter carries a user or conversation id: tag keys are outcome, reason and kind only (and phi, the percentile)")
    void noIdsInTags() {
        ConversationId conversation = conversation();
        Client doctor = fixture.connect(DOCTOR);
        fixture.connect(ANN);
        fixture.connect(BEN);
        fixture.open("not-a-token");
        doctor.sendFrame(new ClientFrame.Send("s1", conversation, "m-1", "hello", Priority.NORMAL, List.of()));
        doctor.sendFrame(new ClientFrame.Typing(null, conversation));
        fixture.bus.publish(new Resync());

        List<Tag> tags = new ArrayList<>();
        for (Meter meter : registry.getMeters()) {
            tags.addAll(meter.getId().getTags());
        }
        assertThat(registry.getMeters()).isNotEmpty();
        assertThat(tags).extracting(Tag::getKey).isSubsetOf(Set.of("outcome", "reason", "kind", "phi"));
        assertThat(tags).extracting(Tag::getValue).doesNotContain(DOCTOR.value(), ANN.value(), BEN.value(),
                conversation.value(), "hello", "m-1");
    }
}

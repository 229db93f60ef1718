package io.carechat.messaging;

import static io.carechat.messaging.Clinic.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.auth.ClientContext;
import io.carechat.messaging.auth.TokenSettings;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.error.RateLimitedException;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.metrics.MessagingMetrics;
import io.carechat.messaging.metrics.MicrometerMetrics;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.MessagingLimits;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.SendRequest;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The facade records sends, refusals, token rejections and escalations on the registry it is given")
class FacadeMetricsTest {
    private static final Duration DELAY = Duration.ofMinutes(10);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** The escalation timer's own scan never runs within a test; the tests call escalateDue. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Clinic clinic = new Clinic(b -> b.meterRegistry(registry)
            .limits(MessagingLimits.builder().sendRate(1, 2).build())
            .urgentEscalation(DELAY, Duration.ofMinutes(10), timer)
            .tokens(TokenSettings.builder().issuer("https://chat.hospital.example").audience("carechat")
                    .hmacSecret("key-1", "a signing secret of at least 256 bits, for tests".getBytes(
                            StandardCharsets.UTF_8)).build()));
    private final Conversation chat = clinic.doctorAndPatient();

    @AfterEach
    void close() {
        clinic.close();
        timer.shutdownNow();
    }

    private double sends(String outcome) {
        return registry.get(MicrometerMetrics.SENDS).tag("outcome", outcome).counter().count();
    }

    @Test
    @DisplayName("sends count by outcome, a committed one also in the ack latency, and a refusal by its limit")
    void sendsByOutcome() {
        clinic.messaging.send(as(clinic.patient), SendRequest.text(chat.id(), "m1", "hello"));
        clinic.messaging.sendAsync(as(clinic.patient), SendRequest.text(chat.id(), "m2", "again"), Runnable::run)
                .join();
        assertThatThrownBy(() -> clinic.messaging.send(as(clinic.patient), SendRequest.text(chat.id(), "m3", "x")))
                .isInstanceOf(RateLimitedException.class);
        assertThatThrownBy(() -> clinic.messaging.send(as(clinic.otherPatient),
                SendRequest.text(chat.id(), "m4", "x"))).isInstanceOf(NotFoundException.class);

        assertThat(sends("ok")).isEqualTo(2);
        assertThat(sends("rate_limited")).isEqualTo(1);
        assertThat(sends("not_found")).isEqualTo(1);
        assertThat(registry.get(MicrometerMetrics.ACK_LATENCY).timer().count()).isEqualTo(2);
        assertThat(registry.get(MicrometerMetrics.RATE_LIMITED).tag("kind", "send").counter().count()).isEqualTo(1);
    }

    @Test
    @DisplayName("a refused token counts by its reason")
    void tokenRejections() {
        ClientContext client = ClientContext.fromAddress("203.0.113.7");
        assertThatThrownBy(() -> clinic.messaging.tokens().verify("not.a.jwt", client))
                .isInstanceOf(UnauthenticatedException.class);
        assertThatThrownBy(() -> clinic.messaging.tokens().verify(null, client))
                .isInstanceOf(UnauthenticatedException.class);

        assertThat(registry.get(MicrometerMetrics.TOKENS_REJECTED).tag("reason", "malformed").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(MicrometerMetrics.TOKENS_REJECTED).tag("reason", "missing").counter().count())
                .isEqualTo(1);
    }

    @Test
    @DisplayName("an escalation to the doctors on call counts once, by outcome")
    void escalations() {
        clinic.messaging.replaceOnCall(as(clinic.admin), List.of(clinic.otherDoctor.id()));
        clinic.messaging.send(as(clinic.patient), SendRequest.text(chat.id(), "u1", "help")
                .withPriority(Priority.URGENT));
        clinic.clock.advance(DELAY);

        clinic.messaging.escalateDue();
        clinic.messaging.escalateDue();

        assertThat(registry.get(MicrometerMetrics.ESCALATIONS).tag("outcome", "escalated").counter().count())
                .isEqualTo(1);
    }

    @Test
    @DisplayName("offline notification counts are exposed by outcome, zero without a notifier")
    void notifications() {
        assertThat(registry.get(MicrometerMetrics.NOTIFICATIONS).tag("outcome", "delivered").functionCounter()
                .count()).isZero();
    }

    @Test
    @DisplayName("no meter carries a user or conversation id: tag keys are outcome, reason and kind only (and phi, the percentile)")
    void noIdsInTags() {
        sendsByOutcome();
        tokenRejections();
        List<Tag> tags = new ArrayList<>();
        for (Meter meter : registry.getMeters()) {
            tags.addAll(meter.getId().getTags());
        }
        assertThat(tags).extracting(Tag::getKey).isSubsetOf(Set.of("outcome", "reason", "kind", "phi"));
        assertThat(tags).extracting(Tag::getValue).doesNotContain(clinic.patient.id().value(),
                clinic.otherPatient.id().value(), clinic.doctor.id().value(), chat.id().value(), "hello", "m1");
    }

    @Test
    @DisplayName("without a registry the facade reports to MessagingMetrics.NONE and works")
    void withoutRegistry() {
        try (Clinic plain = new Clinic()) {
            Conversation conversation = plain.doctorAndPatient();
            plain.messaging.send(as(plain.patient), SendRequest.text(conversation.id(), "m1", "hello"));
            assertThat(plain.messaging.metrics()).isSameAs(MessagingMetrics.NONE);
        }
    }
}

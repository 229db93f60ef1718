package io.carechat.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.error.RateLimitedException;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessagingLimits;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.SendRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The facade's per-user rates hold for every transport")
class UserRateLimitsTest {
    private final Clinic clinic = new Clinic(b -> b.limits(MessagingLimits.builder()
            .sendRate(1, 3).typingRate(1, 2).presenceRate(1, 2).historyRate(1, 2).build()));
    private final Conversation chat = clinic.doctorAndPatient();

    @AfterEach
    void close() {
        clinic.close();
    }

    private SendRequest request(String id) {
        return new SendRequest(chat.id(), id, "hello", Priority.NORMAL, List.of());
    }

    @Test
    @DisplayName("send and sendAsync draw on one budget; beyond it rate_limited stores nothing, and the budget refills")
    void sendsShareOneBudget() {
        clinic.messaging.send(Clinic.as(clinic.patient), request("m1"));
        clinic.messaging.sendAsync(Clinic.as(clinic.patient), request("m2"), Runnable::run).join();
        clinic.messaging.send(Clinic.as(clinic.patient), request("m3"));
        assertThatThrownBy(() -> clinic.messaging.sendAsync(Clinic.as(clinic.patient), request("m4"), Runnable::run))
                .isInstanceOf(RateLimitedException.class).hasMessageContaining("send rate");
        assertThat(clinic.messaging.history(Clinic.as(clinic.doctor), chat.id(), null, null).messages()).hasSize(3);

        clinic.messaging.send(Clinic.as(clinic.doctor), new SendRequest(chat.id(), "d1", "hi", Priority.NORMAL, List.of()));

        clinic.clock.advance(Duration.ofSeconds(1));
        Message later = clinic.messaging.send(Clinic.as(clinic.patient), request("m4"));
        assertThat(later.seq()).isEqualTo(5);
    }

    @Test
    @DisplayName("typing, presence and history have their own budgets, each named in its refusal")
    void otherBudgets() {
        for (int i = 0; i < 2; i++) {
            clinic.messaging.typing(Clinic.as(clinic.patient), chat.id());
            clinic.messaging.setPresence(Clinic.as(clinic.patient), Presence.BUSY);
            clinic.messaging.history(Clinic.as(clinic.patient), chat.id(), null, null);
        }
        assertThatThrownBy(() -> clinic.messaging.typing(Clinic.as(clinic.patient), chat.id()))
                .isInstanceOf(RateLimitedException.class).hasMessageContaining("typing rate");
        assertThatThrownBy(() -> clinic.messaging.setPresence(Clinic.as(clinic.patient), Presence.AWAY))
                .isInstanceOf(RateLimitedException.class).hasMessageContaining("presence rate");
        assertThatThrownBy(() -> clinic.messaging.history(Clinic.as(clinic.patient), chat.id(), null, null))
                .isInstanceOf(RateLimitedException.class).hasMessageContaining("history rate");
        clinic.messaging.send(Clinic.as(clinic.patient), request("m1"));
    }

    @Test
    @DisplayName("a rate out of range is a configuration problem naming the limit")
    void validated() {
        assertThatThrownBy(() -> new Clinic(b -> b.limits(MessagingLimits.builder().historyRate(0, 5).build())))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("historyRate");
    }
}

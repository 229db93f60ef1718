package io.carechat.messaging.websocket.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.model.ConversationId;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The client acknowledges only up to the highest seq it holds without a gap")
class DeliveryTrackerTest {
    private static final ConversationId C = ConversationId.of("c1");
    private final DeliveryTracker tracker = new DeliveryTracker();

    @Test
    @DisplayName("In-order messages are acknowledged one by one")
    void inOrder() {
        tracker.reset(C, 0);
        assertThat(tracker.hold(C, 1)).hasValue(1);
        assertThat(tracker.hold(C, 2)).hasValue(2);
    }

    @Test
    @DisplayName("A message after a gap is not acknowledged until the gap fills, then all at once")
    void gapHoldsAcknowledgementBack() {
        tracker.reset(C, 4);
        assertThat(tracker.hold(C, 6)).isEmpty();
        assertThat(tracker.hold(C, 7)).isEmpty();
        assertThat(tracker.hold(C, 5)).hasValue(7);
    }

    @Test
    @DisplayName("Messages at or below the server's delivered position, or held twice, acknowledge nothing")
    void nothingTwice() {
        tracker.reset(C, 10);
        assertThat(tracker.hold(C, 9)).isEmpty();
        assertThat(tracker.hold(C, 10)).isEmpty();
        assertThat(tracker.hold(C, 11)).hasValue(11);
        assertThat(tracker.hold(C, 11)).isEqualTo(OptionalLong.empty());
    }

    @Test
    @DisplayName("A conversation not listed in ready starts at zero")
    void unknownConversationStartsAtZero() {
        ConversationId fresh = ConversationId.of("new");
        assertThat(tracker.hold(fresh, 2)).isEmpty();
        assertThat(tracker.hold(fresh, 1)).hasValue(2);
    }
}

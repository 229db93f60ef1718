package io.carechat.messaging.websocket.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reconnect backoff doubles up to its bound, jittered between half and all of it")
class BackoffTest {
    private final Backoff least = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), bound -> 0);
    private final Backoff most = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), bound -> bound);

    @Test
    @DisplayName("Each failed attempt doubles the wait until the maximum")
    void doublesUpToMax() {
        assertThat(most.delayMillis(0)).isEqualTo(100);
        assertThat(most.delayMillis(1)).isEqualTo(200);
        assertThat(most.delayMillis(3)).isEqualTo(800);
        assertThat(most.delayMillis(6)).isEqualTo(5000);
        assertThat(most.delayMillis(Integer.MAX_VALUE)).isEqualTo(5000);
    }

    @Test
    @DisplayName("Jitter keeps each wait between half and all of the step")
    void jitterRange() {
        assertThat(least.delayMillis(0)).isEqualTo(50);
        assertThat(least.delayMillis(3)).isEqualTo(400);
        assertThat(least.delayMillis(40)).isEqualTo(2500);
    }

    @Test
    @DisplayName("Huge attempt counts do not overflow past the maximum")
    void noOverflow() {
        Backoff large = new Backoff(Duration.ofDays(1), Duration.ofDays(2), bound -> bound);
        for (int attempt = 0; attempt < 100; attempt++) {
            assertThat(large.delayMillis(attempt)).isBetween(1L, Duration.ofDays(2).toMillis());
        }
    }
}

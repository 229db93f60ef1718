package io.carechat.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The generator and receivers over real loopback sockets through the in-process relay; speed is not asserted. */
class OpenLoopGeneratorTest {

    @Test
    @DisplayName("every scheduled message of a step reaches its pair's receiver and is measured once")
    void deliversEveryScheduledMessage() throws Exception {
        try (JavaWebSocketRelay relay = JavaWebSocketRelay.start()) {
            Measurements measurements = new Measurements();
            List<SystemUnderTest.PairSender> senders = relay.connect(3, measurements);
            OpenLoopGenerator generator = new OpenLoopGenerator(senders, measurements);
            StepResult result = generator.run(1, 200, Duration.ofMillis(500), Duration.ofSeconds(20));
            assertThat(result.scheduled()).isEqualTo(100);
            assertThat(result.delivered()).isEqualTo(100);
            assertThat(result.errors()).isZero();
            assertThat(result.maxMicros()).isGreaterThanOrEqualTo(result.p99Micros());

            StepResult next = generator.run(2, 100, Duration.ofMillis(200), Duration.ofSeconds(20));
            assertThat(next.delivered()).as("the second step counts only its own messages").isEqualTo(20);
        }
    }

    @Test
    @DisplayName("CareChat frames are recognised by their leading type field")
    void careChatFrameTypes() {
        assertThat(CareChatServer.isType("{\"type\":\"message\",\"message\":{}}", "message")).isTrue();
        assertThat(CareChatServer.isType("{\"type\":\"messages\"}", "message")).isFalse();
        assertThat(CareChatServer.isType("{\"type\":\"ready\"", "ready")).isTrue();
        assertThat(CareChatServer.isType("{\"type\"", "ready")).isFalse();
    }
}

package io.carechat.messaging.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Login throttle")
class LoginThrottleTest {

    private final TestClock clock = new TestClock();
    private final LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Settings(3, 5, Duration.ofMinutes(10)), clock);

    @Test
    @DisplayName("an account is blocked after its limit of failures, whatever the case of the login")
    void perAccount() {
        throttle.recordFailure("Alice", "10.0.0.1");
        throttle.recordFailure("alice", "10.0.0.2");
        assertThat(throttle.isBlocked("ALICE", "10.0.0.3")).isFalse();
        throttle.recordFailure("alice", "10.0.0.3");
        assertThat(throttle.isBlocked("alice", "10.0.0.4")).isTrue();
        assertThat(throttle.isBlocked("bob", "10.0.0.4")).isFalse();
    }

    @Test
    @DisplayName("a source address is blocked after its limit of failures across accounts")
    void perSource() {
        for (int i = 0; i < 5; i++) {
            throttle.recordFailure("user" + i, "203.0.113.9");
        }
        assertThat(throttle.isBlocked("someone-else", "203.0.113.9")).isTrue();
        assertThat(throttle.isBlocked("someone-else", "203.0.113.10")).isFalse();
    }

    @Test
    @DisplayName("failures stop counting once they leave the window")
    void windowSlides() {
        for (int i = 0; i < 3; i++) {
            throttle.recordFailure("alice", null);
        }
        assertThat(throttle.isBlocked("alice", null)).isTrue();
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        assertThat(throttle.isBlocked("alice", null)).isFalse();
    }

    @Test
    @DisplayName("a successful login clears the account's count")
    void successClears() {
        throttle.recordFailure("alice", null);
        throttle.recordFailure("alice", null);
        throttle.recordSuccess("alice");
        throttle.recordFailure("alice", null);
        throttle.recordFailure("alice", null);
        assertThat(throttle.isBlocked("alice", null)).isFalse();
    }
}

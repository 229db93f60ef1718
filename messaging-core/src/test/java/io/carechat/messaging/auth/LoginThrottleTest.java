package io.carechat.messaging.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.ConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Login throttle")
class LoginThrottleTest {

    private static final String ATTACKER = "203.0.113.9";
    private static final String OWNER = "198.51.100.7";

    private final TestClock clock = new TestClock();
    private final LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Settings(3, 6, 10,
            Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofSeconds(4), Duration.ofMinutes(10)), clock);

    private void fail(String account, String source, int times) {
        for (int i = 0; i < times; i++) {
            assertThat(throttle.begin(account, source)).as("attempt %d of %s from %s", i + 1, account, source)
                    .isPresent();
        }
    }

    @Test
    @DisplayName("past the free failures of an account from one address, attempts wait a delay that doubles with each failure")
    void progressiveDelay() {
        fail("alice", ATTACKER, 3);
        assertThat(throttle.begin("ALICE", ATTACKER)).as("same account in another case").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        fail("alice", ATTACKER, 1);
        clock.advance(Duration.ofMillis(1_999));
        assertThat(throttle.begin("alice", ATTACKER)).as("the second wait is 2 s").isEmpty();
        clock.advance(Duration.ofMillis(1));
        fail("alice", ATTACKER, 1);
        clock.advance(Duration.ofMillis(3_999));
        assertThat(throttle.begin("alice", ATTACKER)).as("the third wait is 4 s").isEmpty();
    }

    @Test
    @DisplayName("the account's owner logging in from another address gets in while the attacker's address is slowed")
    void ownerFromElsewhereIsNotLockedOut() {
        fail("alice", ATTACKER, 3);
        assertThat(throttle.begin("alice", ATTACKER)).isEmpty();
        throttle.begin("alice", OWNER).orElseThrow().succeeded();
        assertThat(throttle.begin("bob", ATTACKER)).as("other accounts from the attacker's address count apart")
                .isPresent();
    }

    @Test
    @DisplayName("guesses spread over many addresses slow the account down, but never longer than the account's own cap")
    void accountWideCap() {
        for (int i = 0; i < 30; i++) {
            throttle.begin("alice", "192.0.2." + i);
            clock.advance(Duration.ofSeconds(4));
        }
        assertThat(throttle.begin("alice", OWNER)).as("the last failure was 4 s ago, the cap").isPresent();
    }

    @Test
    @DisplayName("an address is slowed after its free failures over all accounts")
    void perAddress() {
        for (int i = 0; i < 10; i++) {
            fail("user" + i, ATTACKER, 1);
        }
        assertThat(throttle.begin("someone-else", ATTACKER)).isEmpty();
        assertThat(throttle.begin("someone-else", OWNER)).isPresent();
    }

    @Test
    @DisplayName("a success takes its own count back and clears the account's failures from that address")
    void successClears() {
        fail("alice", OWNER, 2);
        throttle.begin("alice", OWNER).orElseThrow().succeeded();
        fail("alice", OWNER, 3);
        assertThat(throttle.begin("alice", OWNER)).isEmpty();
    }

    @Test
    @DisplayName("failures stop counting once they leave the window")
    void windowSlides() {
        fail("alice", ATTACKER, 3);
        assertThat(throttle.begin("alice", ATTACKER)).isEmpty();
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        fail("alice", ATTACKER, 3);
    }

    @Test
    @DisplayName("parallel attempts are counted before any password is checked: no more than the free failures get through")
    void parallelAttemptsCannotExceedTheLimit() throws Exception {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                attempts.add(pool.submit(() -> {
                    start.await();
                    return throttle.begin("alice", ATTACKER).isPresent();
                }));
            }
            start.countDown();
            int admitted = 0;
            for (Future<Boolean> attempt : attempts) {
                admitted += attempt.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(admitted).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("settings that make no sense are refused, each problem named")
    void settingsAreChecked() {
        assertThatThrownBy(() -> new LoginThrottle.Settings(0, 1, 1, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1),
                Duration.ZERO))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("freeFailuresPerAccountAndAddress")
                .hasMessageContaining("firstDelay")
                .hasMessageContaining("maxAccountDelay")
                .hasMessageContaining("window");
    }
}

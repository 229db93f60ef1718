package io.carechat.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RateSearchTest {
    private static final Duration LIMIT = Duration.ofMillis(50);

    /** A step at {@code rate} with the given p99; everything delivered, no errors, on schedule. */
    static StepResult step(int rate, long p99Millis) {
        return new StepResult(rate, rate * 3L, rate * 3L, 0, 1_000, p99Millis * 1_000, p99Millis * 1_000,
                p99Millis * 1_000, 0, 2_000);
    }

    @Test
    @DisplayName("a step is held only with everything delivered, no errors, p99 under the limit and the generator on schedule")
    void heldNeedsEveryCondition() {
        assertThat(step(1000, 49).held(LIMIT)).isTrue();
        assertThat(step(1000, 50).held(LIMIT)).as("p99 must be under, not at, the limit").isFalse();
        assertThat(new StepResult(1000, 3000, 2999, 0, 1, 1, 1, 1, 0, 0).held(LIMIT)).as("one lost").isFalse();
        assertThat(new StepResult(1000, 3000, 3000, 1, 1, 1, 1, 1, 0, 0).held(LIMIT)).as("an error").isFalse();
        StepResult behind = new StepResult(1000, 3000, 3000, 0, 1, 1, 1, 1, 31, 40_000);
        assertThat(behind.generatorFellBehind()).isTrue();
        assertThat(behind.held(LIMIT)).as("generator fell behind").isFalse();
        StepResult slightlyLate = new StepResult(1000, 3000, 3000, 0, 1, 1, 1, 1, 30, 40_000);
        assertThat(slightlyLate.generatorFellBehind()).as("1% late is tolerated").isFalse();
    }

    @Test
    @DisplayName("the highest held rate is the highest rate with a held step, even after a noisy failure below it")
    void highestHeld() {
        assertThat(RateSearch.highestHeld(List.of(step(250, 3), step(500, 80), step(1000, 20), step(2000, 900)), LIMIT))
                .isEqualTo(1000);
        assertThat(RateSearch.highestHeld(List.of(step(250, 60)), LIMIT)).isZero();
        assertThat(RateSearch.highestHeld(List.of(), LIMIT)).isZero();
    }

    @Test
    @DisplayName("stepping stops after the configured number of steps in a row not held")
    void stopsAfterFailuresInARow() {
        List<StepResult> oneFailure = List.of(step(250, 3), step(500, 80));
        assertThat(RateSearch.shouldStop(oneFailure, LIMIT, 1)).isTrue();
        assertThat(RateSearch.shouldStop(oneFailure, LIMIT, 2)).isFalse();
        assertThat(RateSearch.shouldStop(List.of(step(250, 80), step(500, 3), step(1000, 70)), LIMIT, 2)).isFalse();
        assertThat(RateSearch.shouldStop(List.of(step(250, 3), step(500, 80), step(1000, 70)), LIMIT, 2)).isTrue();
        assertThat(RateSearch.shouldStop(List.of(step(250, 3)), LIMIT, 1)).isFalse();
    }

    @Test
    @DisplayName("a rate is repeated once when it failed only because the generator fell behind")
    void repeatsWhenGeneratorFellBehind() {
        StepResult behind = new StepResult(1000, 3000, 3000, 0, 1, 1, 1, 1, 300, 40_000);
        assertThat(RateSearch.shouldRepeat(behind, LIMIT, false)).isTrue();
        assertThat(RateSearch.shouldRepeat(behind, LIMIT, true)).isFalse();
        assertThat(RateSearch.shouldRepeat(step(1000, 80), LIMIT, false)).as("the system was slow").isFalse();
        assertThat(RateSearch.shouldRepeat(step(1000, 3), LIMIT, false)).isFalse();
    }

    @Test
    @DisplayName("a system that held its highest rate tried is marked as having a limit above it")
    void heldTopRate() {
        SystemRun top = new SystemRun(SystemKind.JAVA_WEBSOCKET_RELAY, List.of(step(250, 1), step(500, 2)), null, "", 0);
        SystemRun not = new SystemRun(SystemKind.JAVA_WEBSOCKET_RELAY, List.of(step(250, 1), step(500, 90)), null, "", 0);
        assertThat(top.heldTopRate(LIMIT)).isTrue();
        assertThat(not.heldTopRate(LIMIT)).isFalse();
        assertThat(new SystemRun(SystemKind.CARECHAT_H2, List.of(), null, "", 0).heldTopRate(LIMIT)).isFalse();
    }
}

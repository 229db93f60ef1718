package io.carechat.benchmarks.e2e;

import java.time.Duration;
import java.util.List;

/**
 * Decides, from the steps measured so far, when to stop raising the rate and which rate a system
 * held. Stateless and thread-safe.
 */
final class RateSearch {
    private RateSearch() {}

    /**
     * @param steps the steps in the order they ran (rising rates)
     * @param p99Limit the latency objective
     * @return the highest offered rate that was held, or 0 when none was
     */
    static int highestHeld(List<StepResult> steps, Duration p99Limit) {
        return steps.stream().filter(s -> s.held(p99Limit)).mapToInt(StepResult::offeredPerSecond).max().orElse(0);
    }

    /**
     * A step that failed only because the generator could not keep its schedule measured the
     * benchmark's machine, not the system: it is worth repeating once.
     *
     * @param step the step just measured
     * @param p99Limit the latency objective
     * @param repeatedAlready whether this rate was repeated before
     * @return whether to offer the same rate again
     */
    static boolean shouldRepeat(StepResult step, Duration p99Limit, boolean repeatedAlready) {
        return !repeatedAlready && !step.held(p99Limit) && step.generatorFellBehind();
    }

    /**
     * @param steps the steps so far
     * @param p99Limit the latency objective
     * @param failuresToStop how many steps in a row that were not held end the search
     * @return whether to stop before the next rate
     */
    static boolean shouldStop(List<StepResult> steps, Duration p99Limit, int failuresToStop) {
        int trailingFailures = 0;
        for (int i = steps.size() - 1; i >= 0 && !steps.get(i).held(p99Limit); i--) {
            trailingFailures++;
        }
        return trailingFailures >= failuresToStop;
    }
}

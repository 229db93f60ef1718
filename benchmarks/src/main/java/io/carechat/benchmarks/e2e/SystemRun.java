package io.carechat.benchmarks.e2e;

import java.time.Duration;
import java.util.List;

/**
 * One system's part of a run: the steps it went through, or why it was skipped. Immutable.
 *
 * @param kind which system
 * @param steps the measured steps, rising rates
 * @param skipped why it did not run, or null
 * @param stopReason why the stepping ended, e.g. "rate not held" or "time budget spent"
 * @param stragglers messages that arrived after their step had ended
 */
record SystemRun(SystemKind kind, List<StepResult> steps, String skipped, String stopReason, long stragglers) {

    SystemRun {
        steps = List.copyOf(steps);
    }

    static SystemRun skipped(SystemKind kind, String reason) {
        return new SystemRun(kind, List.of(), reason, "", 0);
    }

    /** @return whether it was started (it may still have run no step, see {@link #stopReason()}) */
    boolean ran() {
        return skipped == null;
    }

    /** @return the highest rate held, 0 when none */
    int heldRate(Duration p99Limit) {
        return RateSearch.highestHeld(steps, p99Limit);
    }

    /** @return whether the highest rate tried was held, so the system's limit lies above it */
    boolean heldTopRate(Duration p99Limit) {
        return !steps.isEmpty() && steps.get(steps.size() - 1).held(p99Limit)
                && steps.get(steps.size() - 1).offeredPerSecond() == heldRate(p99Limit);
    }
}

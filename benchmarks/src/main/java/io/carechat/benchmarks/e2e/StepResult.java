package io.carechat.benchmarks.e2e;

import java.time.Duration;

/**
 * What one step of offered load measured. Latencies are at the receiver, from each message's
 * intended send time. Immutable.
 *
 * @param offeredPerSecond the rate the schedule offered
 * @param scheduled messages the schedule held for the step
 * @param delivered messages of this step that reached their receiver before the drain ended
 * @param errors error frames the senders got back
 * @param p50Micros median latency
 * @param p99Micros 99th percentile latency
 * @param p999Micros 99.9th percentile latency
 * @param maxMicros largest latency
 * @param lateSends sends the generator issued more than {@link #LATE_AFTER} after their intended time
 * @param maxLagMicros the generator's largest lag behind its schedule
 */
record StepResult(
        int offeredPerSecond,
        long scheduled,
        long delivered,
        long errors,
        long p50Micros,
        long p99Micros,
        long p999Micros,
        long maxMicros,
        long lateSends,
        long maxLagMicros) {

    /** A send issued later than this after its intended time counts as late. */
    static final Duration LATE_AFTER = Duration.ofMillis(10);

    /** Above this share of late sends the generator fell behind, and the step does not count. */
    static final double MAX_LATE_SHARE = 0.01;

    /** @return the share of sends the generator issued late, 0 to 1 */
    double lateShare() {
        return scheduled == 0 ? 0 : (double) lateSends / scheduled;
    }

    /** @return whether the generator fell behind its schedule, so the step measured less than offered */
    boolean generatorFellBehind() {
        return lateShare() > MAX_LATE_SHARE;
    }

    /** @return whether every scheduled message arrived */
    boolean allDelivered() {
        return scheduled > 0 && delivered >= scheduled;
    }

    /**
     * @param p99Limit the latency objective
     * @return whether the system held this rate: everything delivered without errors, receiver p99
     *     under the limit, and the generator on schedule
     */
    boolean held(Duration p99Limit) {
        return allDelivered() && errors == 0 && p99Micros < p99Limit.toNanos() / 1_000 && !generatorFellBehind();
    }
}

package io.carechat.benchmarks.e2e;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Collects one step: receiver latencies from intended send times into an HdrHistogram, deliveries,
 * error frames, and how far the generator lagged behind its schedule. Receivers record from many
 * threads at once; the generator records lag from its one thread. Thread-safe; one per step.
 */
final class StepRecorder {
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

    final int step;
    private final Histogram latencyMicros = new ConcurrentHistogram(HIGHEST_MICROS, 3);
    private final LongAdder delivered = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicLong lateSends = new AtomicLong();
    private final AtomicLong maxLagNanos = new AtomicLong();

    StepRecorder(int step) {
        this.step = step;
    }

    /** A receiver got a message of this step. */
    void delivered(long latencyNanos) {
        latencyMicros.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, latencyNanos / 1_000)));
        delivered.increment();
    }

    /** A sender got an error frame. */
    void error() {
        errors.increment();
    }

    /** The generator issued a send {@code lagNanos} after its intended time. */
    void sendIssued(long lagNanos) {
        if (lagNanos > StepResult.LATE_AFTER.toNanos()) {
            lateSends.incrementAndGet();
        }
        maxLagNanos.accumulateAndGet(lagNanos, Math::max);
    }

    /** @return messages delivered so far */
    long deliveredCount() {
        return delivered.sum();
    }

    /** @return the step's result, for a schedule of {@code scheduled} messages at {@code rate} */
    StepResult result(int rate, long scheduled) {
        Histogram h = latencyMicros.copy();
        boolean any = h.getTotalCount() > 0;
        return new StepResult(rate, scheduled, delivered.sum(), errors.sum(),
                any ? h.getValueAtPercentile(50) : 0, any ? h.getValueAtPercentile(99) : 0,
                any ? h.getValueAtPercentile(99.9) : 0, any ? h.getMaxValue() : 0,
                lateSends.get(), maxLagNanos.get() / 1_000);
    }
}

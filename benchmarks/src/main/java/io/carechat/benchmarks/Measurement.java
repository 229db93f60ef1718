package io.carechat.benchmarks;

import java.time.Duration;
import java.util.Locale;

/**
 * One measured run: how many operations took how long. Immutable.
 *
 * @param name what was measured
 * @param operations how many operations completed
 * @param elapsed the wall-clock time they took
 */
public record Measurement(String name, long operations, Duration elapsed) {

    /** @return operations per second */
    public double perSecond() {
        return operations / Math.max(1e-9, elapsed.toNanos() / 1e9);
    }

    String row(Measurement ceiling) {
        return String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f |", name, operations, perSecond(),
                perSecond() / ceiling.perSecond());
    }
}

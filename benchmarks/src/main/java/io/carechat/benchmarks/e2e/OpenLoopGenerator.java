package io.carechat.benchmarks.e2e;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Offers load on a fixed schedule, whatever the system does: message {@code i} of a step is due at
 * {@code start + i / rate}, is stamped with that intended time, and is handed to its pair's sender
 * (round robin) without waiting for anything, so a slow system cannot slow the generator down and
 * hide its own latency (no coordinated omission). When the generator itself cannot keep up, the
 * step records by how much. Runs on the calling thread; not thread-safe; one per system.
 */
final class OpenLoopGenerator {
    private final List<SystemUnderTest.PairSender> senders;
    private final Measurements measurements;
    private long sequence;

    OpenLoopGenerator(List<SystemUnderTest.PairSender> senders, Measurements measurements) {
        this.senders = List.copyOf(senders);
        this.measurements = measurements;
    }

    /**
     * Runs one step: offers {@code rate} messages a second for {@code duration}, then waits at most
     * {@code drain} for the last ones to arrive.
     *
     * @param step the step's number, stamped into each body
     * @return what the receivers measured
     */
    StepResult run(int step, int rate, Duration duration, Duration drain) {
        long scheduled = Math.max(1, Math.round(rate * (duration.toNanos() / 1e9)));
        double intervalNanos = 1e9 / rate;
        StepRecorder recorder = measurements.begin(step);
        long start = System.nanoTime() + 5_000_000;
        for (long i = 0; i < scheduled; i++) {
            long intended = start + (long) (i * intervalNanos);
            long now = awaitTime(intended);
            recorder.sendIssued(now - intended);
            senders.get((int) (i % senders.size())).send(Payload.body(step, intended), sequence++);
        }
        long drainUntil = System.nanoTime() + drain.toNanos();
        while (recorder.deliveredCount() < scheduled && System.nanoTime() < drainUntil) {
            LockSupport.parkNanos(5_000_000);
        }
        for (SystemUnderTest.PairSender sender : senders) {
            sender.discardPending();
        }
        return recorder.result(rate, scheduled);
    }

    private static long awaitTime(long target) {
        long now = System.nanoTime();
        while (now < target) {
            LockSupport.parkNanos(target - now); // no spinning: the system under test shares the cores
            now = System.nanoTime();
        }
        return now;
    }
}

package io.carechat.benchmarks.e2e;

import java.util.concurrent.atomic.LongAdder;

/**
 * Where receivers and senders of every pair report what they get, routed to the step being
 * measured: a message stamped with another step (a straggler from an earlier step) is counted
 * apart and not measured. Thread-safe; one per system under test.
 */
final class Measurements {
    private volatile StepRecorder current;
    private final LongAdder stragglers = new LongAdder();

    /** Starts measuring a new step; frames of earlier steps no longer count. */
    StepRecorder begin(int step) {
        StepRecorder recorder = new StepRecorder(step);
        current = recorder;
        return recorder;
    }

    /**
     * A receiver got a frame; if it carries a benchmark body of the current step, its latency from
     * the intended send time is recorded.
     */
    void onReceived(CharSequence frame, long receivedNanos) {
        Payload.Stamp stamp = Payload.read(frame);
        if (stamp == null) {
            return;
        }
        StepRecorder recorder = current;
        if (recorder != null && recorder.step == stamp.step()) {
            recorder.delivered(receivedNanos - stamp.intendedNanos());
        } else {
            stragglers.increment();
        }
    }

    /** A sender got an error frame. */
    void onError() {
        StepRecorder recorder = current;
        if (recorder != null) {
            recorder.error();
        }
    }

    /** @return messages that arrived after their step had ended */
    long stragglers() {
        return stragglers.sum();
    }
}

package io.carechat.benchmarks.e2e;

import java.util.OptionalLong;

/**
 * The message bodies the generator sends: a marker with the step number and the intended send time
 * (in {@link System#nanoTime()} of this JVM), padded to a fixed length with plain letters, so the
 * receiver finds the marker in any frame that carries the body unescaped (CareChat's JSON, a
 * Socket.IO event, a relayed raw frame). Stateless and thread-safe.
 */
final class Payload {
    /** The length of every body, in characters (ASCII, so also in bytes). */
    static final int BODY_CHARS = 300;

    private static final String MARKER = "ccbench:";
    private static final String FILLER = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod "
            .repeat(6);

    private Payload() {}

    /**
     * @param step the step the message belongs to
     * @param intendedNanos when the schedule says it is sent
     * @return a body of exactly {@link #BODY_CHARS} characters
     */
    static String body(int step, long intendedNanos) {
        String head = MARKER + step + ":" + intendedNanos + ":";
        return head + FILLER.substring(0, BODY_CHARS - head.length());
    }

    /** What the receiver reads back from a frame. */
    record Stamp(int step, long intendedNanos) {}

    /**
     * Finds the stamp in a frame.
     *
     * @param frame a received text frame
     * @return the stamp, or null when the frame carries no benchmark body
     */
    static Stamp read(CharSequence frame) {
        String text = frame.toString();
        int at = text.indexOf(MARKER);
        if (at < 0) {
            return null;
        }
        int stepStart = at + MARKER.length();
        int stepEnd = text.indexOf(':', stepStart);
        if (stepEnd < 0) {
            return null;
        }
        int timeEnd = text.indexOf(':', stepEnd + 1);
        if (timeEnd < 0) {
            return null;
        }
        OptionalLong step = parse(text, stepStart, stepEnd);
        OptionalLong time = parse(text, stepEnd + 1, timeEnd);
        if (step.isEmpty() || time.isEmpty()) {
            return null;
        }
        return new Stamp((int) step.getAsLong(), time.getAsLong());
    }

    private static OptionalLong parse(String text, int from, int to) {
        try {
            return OptionalLong.of(Long.parseLong(text, from, to, 10));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}

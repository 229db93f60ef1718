package io.carechat.messaging.model;

import java.util.List;

/**
 * A per-user rate limit as a token bucket: {@code burst} requests at once, earned back at
 * {@code perSecond}. Immutable and thread-safe; checked, with every other limit, when
 * {@link io.carechat.messaging.Messaging.Builder#build()} runs.
 *
 * @param perSecond the sustained rate, 1 to 1,000,000 a second
 * @param burst how many may come at once, 1 to 1,000,000
 */
public record Rate(int perSecond, int burst) {
    /** The largest rate and burst accepted. */
    public static final int MAX = 1_000_000;

    /**
     * Checks this rate.
     *
     * @param name the limit's name, used in the problems
     * @return one line per problem, empty when all is well
     */
    public List<String> problems(String name) {
        if (perSecond < 1 || perSecond > MAX || burst < 1 || burst > MAX) {
            return List.of(name + " must have a rate and a burst of 1 to " + MAX + ", was " + perSecond + "/s burst "
                    + burst);
        }
        return List.of();
    }
}

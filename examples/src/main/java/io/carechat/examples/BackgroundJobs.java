package io.carechat.examples;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The demo server's background jobs: how often the retention job and the key rotation job run
 * (each on one node of the cluster at a time, see {@code JobScheduler}), or not at all, and the age
 * after which retention purges message content. Immutable; part of {@link ServerConfig}, checked
 * with it.
 *
 * @param retentionInterval how long after a retention run ends the next is due; empty: never
 * @param keyRotationInterval how long after a key rotation run ends the next is due; empty: never
 * @param retentionAge message content older than this is purged; empty: kept for ever
 */
record BackgroundJobs(Optional<Duration> retentionInterval, Optional<Duration> keyRotationInterval,
        Optional<Duration> retentionAge) {

    /** The shortest interval a job may have. */
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    /** The longest interval a job may have. */
    static final Duration MAX_INTERVAL = Duration.ofDays(366);

    /**
     * Reads a job interval: an ISO-8601 duration ({@code PT6H}, {@code P1D}) from 1 second to 366
     * days, or {@code 0} to turn the job off.
     *
     * @param setting the setting, for the error message
     * @param text its value
     * @param problems where a bad value is reported
     * @return the interval, or empty when off (or bad)
     */
    static Optional<Duration> interval(Setting setting, String text, List<String> problems) {
        String value = text.trim();
        if (value.equals("0")) {
            return Optional.empty();
        }
        try {
            Duration interval = Duration.parse(value);
            if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
                problems.add(setting.envName() + " must be from PT1S to P366D, or 0 to turn the job off, was " + value);
                return Optional.empty();
            }
            return Optional.of(interval);
        } catch (DateTimeParseException e) {
            problems.add(setting.envName() + " must be an ISO-8601 duration such as PT6H or P1D, or 0 to turn the job off,"
                    + " was '" + value + "'");
            return Optional.empty();
        }
    }
}

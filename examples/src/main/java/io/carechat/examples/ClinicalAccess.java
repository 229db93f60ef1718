package io.carechat.examples;

import java.time.Duration;

/**
 * The demo server's settings of emergency access and its accounting: how long a break-glass grant
 * lasts ({@code CARECHAT_BREAK_GLASS_MINUTES}, or the test-only {@code CARECHAT_BREAK_GLASS_SECONDS}
 * when above 0), the largest page of a patient's access log
 * ({@code CARECHAT_ACCESS_LOG_MAX_LIMIT}), and urgent escalation to the on-call doctors
 * ({@code CARECHAT_ESCALATION_SECONDS}, {@code CARECHAT_ESCALATION_SCAN_SECONDS}). Immutable; part
 * of {@link ServerConfig}, checked with it.
 *
 * @param breakGlass how long a break-glass grant lasts
 * @param accessLogMaxLimit the largest page of a patient's access log
 * @param escalation how long a patient's urgent message waits for a doctor member to read it
 * @param escalationScan how often this node looks for due escalations
 */
record ClinicalAccess(Duration breakGlass, int accessLogMaxLimit, Duration escalation, Duration escalationScan) {

    /**
     * The grant's duration from the two settings: the seconds override when above 0, else the minutes.
     *
     * @param minutes {@code CARECHAT_BREAK_GLASS_MINUTES}
     * @param secondsOverride {@code CARECHAT_BREAK_GLASS_SECONDS}, 0 for none
     * @return the duration
     */
    static Duration breakGlass(int minutes, int secondsOverride) {
        return secondsOverride > 0 ? Duration.ofSeconds(secondsOverride) : Duration.ofMinutes(minutes);
    }
}

package io.carechat.messaging.notify;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How offline users are notified through a {@link io.carechat.messaging.spi.Notifier}. Immutable
 * and thread-safe; build one with {@link #builder(String)}, which checks every value and reports
 * all problems at once.
 *
 * @param delay how long after a message reached an offline user the notice is due (default 60 s,
 *     1 second to 24 hours); the user is notified only if still offline and still with unread
 *     messages then, and one notice covers everything that arrived in that time
 * @param quietPeriod the least time between two notices to one user (default 15 minutes, 0 to 24
 *     hours); what arrives meanwhile is told once it ends, if still unread and the user still offline
 * @param deepLinkBase the absolute URL a notice links to (such as
 *     {@code https://ehr.example/carechat/#/conversations}); when exactly one conversation has
 *     unread messages, {@code /} and its id are appended
 * @param checkInterval how often a node writes what arrived for offline users and looks for due
 *     notices (default: a quarter of the delay, from 250 ms to 5 s); notices go out this much
 *     after they are due at the latest
 * @param maxCallsInFlight the most notifier calls waiting or running at once (default 64, 1 to
 *     10,000); a notice beyond it is not sent, logged and counted as failed
 */
public record NotificationSettings(Duration delay, Duration quietPeriod, String deepLinkBase, Duration checkInterval,
        int maxCallsInFlight) {

    /** How long a node holds a claim on a due notice before another node may take it. */
    public static final Duration CLAIM = Duration.ofMinutes(1);

    /** Checks the fields; {@link #builder(String)} reports every problem at once instead. */
    public NotificationSettings {
        List<String> problems = problems(delay, quietPeriod, deepLinkBase, checkInterval, maxCallsInFlight);
        if (!problems.isEmpty()) {
            throw new ConfigurationException("NotificationSettings", problems);
        }
    }

    /**
     * A builder starting from the defaults.
     *
     * @param deepLinkBase the absolute URL notices link to
     * @return the builder
     */
    public static Builder builder(String deepLinkBase) {
        return new Builder(deepLinkBase);
    }

    private static List<String> problems(Duration delay, Duration quietPeriod, String deepLinkBase,
            Duration checkInterval, int maxCallsInFlight) {
        requireNonNull(delay, "delay");
        requireNonNull(quietPeriod, "quietPeriod");
        requireNonNull(deepLinkBase, "deepLinkBase");
        requireNonNull(checkInterval, "checkInterval");
        List<String> problems = new ArrayList<>();
        if (delay.compareTo(Duration.ofSeconds(1)) < 0 || delay.compareTo(Duration.ofHours(24)) > 0) {
            problems.add("delay must be from 1 second to 24 hours, was " + delay);
        }
        if (quietPeriod.isNegative() || quietPeriod.compareTo(Duration.ofHours(24)) > 0) {
            problems.add("quietPeriod must be from 0 to 24 hours, was " + quietPeriod);
        }
        if (!isHttpUrl(deepLinkBase)) {
            problems.add("deepLinkBase must be an absolute http or https URL");
        }
        if (checkInterval.compareTo(Duration.ofMillis(100)) < 0 || checkInterval.compareTo(Duration.ofMinutes(1)) > 0) {
            problems.add("checkInterval must be from 100 ms to 1 minute, was " + checkInterval);
        }
        if (maxCallsInFlight < 1 || maxCallsInFlight > 10_000) {
            problems.add("maxCallsInFlight must be 1 to 10000, was " + maxCallsInFlight);
        }
        return problems;
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            return uri.isAbsolute() && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * The deep link of a notice.
     *
     * @param onlyConversation the id of the one conversation with unread messages, or null when
     *     there are several
     * @return the base, with the conversation appended when there is one
     */
    public String deepLink(@Nullable String onlyConversation) {
        if (onlyConversation == null) {
            return deepLinkBase;
        }
        String base = deepLinkBase.endsWith("/") ? deepLinkBase.substring(0, deepLinkBase.length() - 1) : deepLinkBase;
        return base + "/" + onlyConversation;
    }

    /** Builds {@link NotificationSettings}. Not thread-safe. */
    public static final class Builder {
        private Duration delay = Duration.ofSeconds(60);
        private Duration quietPeriod = Duration.ofMinutes(15);
        private final String deepLinkBase;
        private Duration checkInterval;
        private boolean checkIntervalSet;
        private int maxCallsInFlight = 64;

        private Builder(String deepLinkBase) {
            this.deepLinkBase = requireNonNull(deepLinkBase, "deepLinkBase");
            this.checkInterval = defaultCheckInterval(delay);
        }

        private static Duration defaultCheckInterval(Duration delay) {
            Duration quarter = delay.dividedBy(4);
            if (quarter.compareTo(Duration.ofMillis(250)) < 0) {
                return Duration.ofMillis(250);
            }
            return quarter.compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : quarter;
        }

        /**
         * Sets the delay after which an offline user's notice is due.
         *
         * @param value 1 second to 24 hours
         * @return this builder
         */
        public Builder delay(Duration value) {
            this.delay = requireNonNull(value, "delay");
            if (!checkIntervalSet) {
                this.checkInterval = defaultCheckInterval(value);
            }
            return this;
        }

        /**
         * Sets the least time between two notices to one user.
         *
         * @param value 0 to 24 hours
         * @return this builder
         */
        public Builder quietPeriod(Duration value) {
            this.quietPeriod = requireNonNull(value, "quietPeriod");
            return this;
        }

        /**
         * Sets how often a node writes arrivals and looks for due notices.
         *
         * @param value 100 ms to 1 minute
         * @return this builder
         */
        public Builder checkInterval(Duration value) {
            this.checkInterval = requireNonNull(value, "checkInterval");
            this.checkIntervalSet = true;
            return this;
        }

        /**
         * Sets the most notifier calls waiting or running at once.
         *
         * @param value 1 to 10,000
         * @return this builder
         */
        public Builder maxCallsInFlight(int value) {
            this.maxCallsInFlight = value;
            return this;
        }

        /**
         * Checks every value and builds the settings.
         *
         * @return the settings
         * @throws ConfigurationException listing every problem found
         */
        public NotificationSettings build() {
            return new NotificationSettings(delay, quietPeriod, deepLinkBase, checkInterval, maxCallsInFlight);
        }
    }
}

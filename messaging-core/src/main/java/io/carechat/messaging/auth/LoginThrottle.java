package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConfigurationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Slows down password guessing: counts failed logins per account (by the login name typed, so it
 * says nothing about whether the account exists) and per source address within a sliding window,
 * and blocks further attempts from either once its limit is reached, until old failures leave the
 * window. A successful login clears the account's count. Time comes from the injected clock.
 *
 * <p>Thread-safe. Memory is bounded: keys whose failures all left the window are dropped whenever
 * more than {@value #PRUNE_THRESHOLD} keys are held. Counts live in this node's memory only.
 */
public final class LoginThrottle {

    static final int PRUNE_THRESHOLD = 10_000;

    private final Settings settings;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    /**
     * Creates a throttle.
     *
     * @param settings the limits
     * @param clock the time source
     */
    public LoginThrottle(Settings settings, Clock clock) {
        this.settings = requireNonNull(settings, "settings");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * Tells whether a login attempt must be refused without checking the password.
     *
     * @param login the login name as typed (compared without regard to case)
     * @param source the client's address, or null when unknown
     * @return true if the account's or the source's failures reached their limit
     */
    public boolean isBlocked(String login, @Nullable String source) {
        requireNonNull(login, "login");
        Instant now = clock.instant();
        if (count(accountKey(login), now) >= settings.maxFailuresPerAccount()) {
            return true;
        }
        return source != null && count(sourceKey(source), now) >= settings.maxFailuresPerSource();
    }

    /**
     * Counts a failed attempt against the account and the source.
     *
     * @param login the login name as typed
     * @param source the client's address, or null when unknown
     */
    public void recordFailure(String login, @Nullable String source) {
        requireNonNull(login, "login");
        Instant now = clock.instant();
        if (failures.size() > PRUNE_THRESHOLD) {
            prune(now);
        }
        add(accountKey(login), now);
        if (source != null) {
            add(sourceKey(source), now);
        }
    }

    /**
     * Clears the account's failures after a successful login. The source's count stays.
     *
     * @param login the login name as typed
     */
    public void recordSuccess(String login) {
        failures.remove(accountKey(requireNonNull(login, "login")));
    }

    private int count(String key, Instant now) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        synchronized (times) {
            expire(times, now);
            return times.size();
        }
    }

    private void add(String key, Instant now) {
        Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            expire(times, now);
            times.addLast(now);
        }
    }

    private void expire(Deque<Instant> times, Instant now) {
        Instant horizon = now.minus(settings.window());
        while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
            times.removeFirst();
        }
    }

    private void prune(Instant now) {
        failures.entrySet().removeIf(entry -> {
            synchronized (entry.getValue()) {
                expire(entry.getValue(), now);
                return entry.getValue().isEmpty();
            }
        });
    }

    private static String accountKey(String login) {
        return "a:" + login.strip().toLowerCase(Locale.ROOT);
    }

    private static String sourceKey(String source) {
        return "s:" + source;
    }

    /**
     * The throttle's limits. Immutable and thread-safe.
     *
     * @param maxFailuresPerAccount failures per login name within the window before blocking
     * @param maxFailuresPerSource failures per source address within the window before blocking
     * @param window how long a failure counts
     */
    public record Settings(int maxFailuresPerAccount, int maxFailuresPerSource, Duration window) {

        /** Checks the limits. */
        public Settings {
            requireNonNull(window, "window");
            List<String> problems = new ArrayList<>();
            if (maxFailuresPerAccount < 1) {
                problems.add("maxFailuresPerAccount must be at least 1");
            }
            if (maxFailuresPerSource < 1) {
                problems.add("maxFailuresPerSource must be at least 1");
            }
            if (window.isNegative() || window.isZero()) {
                problems.add("window must be more than zero");
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException("LoginThrottle.Settings", problems);
            }
        }

        /**
         * The defaults: 5 failures per account and 50 per source within 15 minutes.
         *
         * @return the settings
         */
        public static Settings defaults() {
            return new Settings(5, 50, Duration.ofMinutes(15));
        }
    }
}

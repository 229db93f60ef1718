package io.carechat.messaging.auth;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConfigurationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Slows down password guessing without locking the real user out. Every attempt is counted
 * before its password is checked ({@link #begin}), atomically, so parallel guesses cannot get past
 * the limits; a successful login takes its own count back ({@link Attempt#succeeded()}). Counts
 * are kept within a sliding window for three keys:
 * <ul>
 *   <li>the account from one address: what a guesser of one password uses up;</li>
 *   <li>the address, over every account: credential stuffing;</li>
 *   <li>the account, from every address together: guessing spread over many addresses.</li>
 * </ul>
 * The account is the resolved one (its username and e-mail address share one count), or the
 * login name as typed when no account has it, so the throttle says nothing about whether an
 * account exists. Past a key's free failures, each further attempt must wait after the key's last
 * one, and the wait doubles with every failure: from {@link Settings#firstDelay()} up to
 * {@link Settings#maxDelay()} for an address and for the account from that address, and only up
 * to {@link Settings#maxAccountDelay()} for the account as a whole. So an attacker's address is
 * slowed down ever more, while the account's owner logging in from another address waits at most
 * {@link Settings#maxAccountDelay()}.
 *
 * <p>Thread-safe: every count and check holds this throttle's lock, never while a password is
 * hashed. Memory is bounded: keys whose failures all left the window are dropped whenever more
 * than {@value #PRUNE_THRESHOLD} keys are held. Counts live in this node's memory only. Lifecycle:
 * made with its {@link Accounts}; holds no resources. Time comes from the injected clock.
 */
public final class LoginThrottle {

    static final int PRUNE_THRESHOLD = 10_000;

    private final Settings settings;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new HashMap<>();

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
     * Counts a login attempt as a failure before its password is checked, unless one of its keys
     * must wait; then nothing is counted.
     *
     * @param account the resolved account (such as its user id), or the login name typed when no
     *     account has it; compared without regard to case
     * @param source the client's address, or null when unknown
     * @return the attempt, to be marked {@link Attempt#succeeded()} when the password matches; empty
     *     when the attempt must be refused without checking the password
     */
    public synchronized Optional<Attempt> begin(String account, @Nullable String source) {
        requireNonNull(account, "account");
        Instant now = clock.instant();
        if (failures.size() > PRUNE_THRESHOLD) {
            prune(now);
        }
        List<Key> keys = keys(account, source);
        for (Key key : keys) {
            if (mustWait(key, now)) {
                return Optional.empty();
            }
        }
        for (Key key : keys) {
            failures.computeIfAbsent(key.name(), k -> new ArrayDeque<>()).addLast(now);
        }
        return Optional.of(new Attempt(keys, now));
    }

    private boolean mustWait(Key key, Instant now) {
        Deque<Instant> times = failures.get(key.name());
        if (times == null) {
            return false;
        }
        expire(times, now);
        int beyond = times.size() - key.freeFailures();
        if (beyond < 0) {
            return false;
        }
        return now.isBefore(times.peekLast().plus(delay(beyond, key.maxDelay())));
    }

    private Duration delay(int beyond, Duration max) {
        Duration delay = settings.firstDelay();
        for (int i = 0; i < beyond && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }

    private List<Key> keys(String account, @Nullable String source) {
        String accountName = account.strip().toLowerCase(Locale.ROOT);
        List<Key> keys = new ArrayList<>(3);
        keys.add(new Key("a:" + accountName, settings.freeFailuresPerAccount(), settings.maxAccountDelay()));
        if (source != null) {
            keys.add(new Key("p:" + source + "|" + accountName, settings.freeFailuresPerAccountAndAddress(),
                    settings.maxDelay()));
            keys.add(new Key("s:" + source, settings.freeFailuresPerAddress(), settings.maxDelay()));
        }
        return keys;
    }

    private void expire(Deque<Instant> times, Instant now) {
        Instant horizon = now.minus(settings.window());
        while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
            times.removeFirst();
        }
    }

    private void prune(Instant now) {
        failures.values().removeIf(times -> {
            expire(times, now);
            return times.isEmpty();
        });
    }

    private synchronized void succeeded(List<Key> keys, Instant at) {
        for (Key key : keys) {
            if (key.name().startsWith("p:")) {
                failures.remove(key.name());
            } else {
                Deque<Instant> times = failures.get(key.name());
                if (times != null) {
                    times.removeLastOccurrence(at);
                }
            }
        }
    }

    /** One counter: its name, its free failures and the longest wait it imposes. */
    private record Key(String name, int freeFailures, Duration maxDelay) {}

    /**
     * An attempt counted by {@link #begin}: a failure until {@link #succeeded()} says otherwise.
     * Thread-safe.
     */
    public final class Attempt {
        private final List<Key> keys;
        private final Instant at;

        private Attempt(List<Key> keys, Instant at) {
            this.keys = keys;
            this.at = at;
        }

        /**
         * The password matched: takes this attempt's count back, and clears the failures of the
         * account from this address.
         */
        public void succeeded() {
            LoginThrottle.this.succeeded(keys, at);
        }
    }

    /**
     * The throttle's limits. Immutable and thread-safe.
     *
     * @param freeFailuresPerAccountAndAddress failures of one account from one address within the
     *     window before attempts slow down
     * @param freeFailuresPerAccount failures of one account from all addresses together
     * @param freeFailuresPerAddress failures from one address over all accounts
     * @param firstDelay the first wait past the free failures; it doubles with each further failure
     * @param maxDelay the longest wait for an address, and for an account from one address
     * @param maxAccountDelay the longest wait for an account from all addresses together: the most
     *     its owner, logging in from elsewhere, is slowed down
     * @param window how long a failure counts
     */
    public record Settings(int freeFailuresPerAccountAndAddress, int freeFailuresPerAccount, int freeFailuresPerAddress,
            Duration firstDelay, Duration maxDelay, Duration maxAccountDelay, Duration window) {

        /** Checks the limits, naming every problem. */
        public Settings {
            requireNonNull(firstDelay, "firstDelay");
            requireNonNull(maxDelay, "maxDelay");
            requireNonNull(maxAccountDelay, "maxAccountDelay");
            requireNonNull(window, "window");
            List<String> problems = new ArrayList<>();
            if (freeFailuresPerAccountAndAddress < 1) {
                problems.add("freeFailuresPerAccountAndAddress must be at least 1");
            }
            if (freeFailuresPerAccount < freeFailuresPerAccountAndAddress) {
                problems.add("freeFailuresPerAccount must be at least freeFailuresPerAccountAndAddress");
            }
            if (freeFailuresPerAddress < freeFailuresPerAccountAndAddress) {
                problems.add("freeFailuresPerAddress must be at least freeFailuresPerAccountAndAddress");
            }
            if (firstDelay.isNegative() || firstDelay.isZero()) {
                problems.add("firstDelay must be more than zero");
            }
            if (maxDelay.compareTo(firstDelay) < 0) {
                problems.add("maxDelay must be at least firstDelay");
            }
            if (maxAccountDelay.compareTo(firstDelay) < 0 || maxAccountDelay.compareTo(maxDelay) > 0) {
                problems.add("maxAccountDelay must be from firstDelay to maxDelay");
            }
            if (window.isNegative() || window.isZero()) {
                problems.add("window must be more than zero");
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException("LoginThrottle.Settings", problems);
            }
        }

        /**
         * The defaults: 5 free failures per account from one address, 20 per account, 50 per
         * address, within 15 minutes; waits from 1 second doubling up to 15 minutes, and up to 1
         * minute for an account as a whole.
         *
         * @return the settings
         */
        public static Settings defaults() {
            return new Settings(5, 20, 50, Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofMinutes(1),
                    Duration.ofMinutes(15));
        }
    }
}

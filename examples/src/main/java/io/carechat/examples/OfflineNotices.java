package io.carechat.examples;

import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.notify.NotificationSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The demo server's settings of offline notifications: whether users who are offline are told
 * through {@link LogNotifier} that messages wait for them ({@code CARECHAT_NOTIFY_OFFLINE}), after
 * how long ({@code CARECHAT_NOTIFY_AFTER_SECONDS}), at most how often
 * ({@code CARECHAT_NOTIFY_QUIET_SECONDS}), and the link a notice carries
 * ({@code CARECHAT_NOTIFY_LINK_BASE}). Immutable; part of {@link ServerConfig}, checked with it.
 *
 * @param enabled whether offline users are notified
 * @param settings the library's settings built from the others, empty when off
 */
record OfflineNotices(boolean enabled, Optional<NotificationSettings> settings) {

    /** The path of the web UI's conversation list that the default link opens. */
    static final String UI_PATH = "/#/conversations";

    /**
     * Builds the library's settings, or collects what is wrong with them.
     *
     * @param enabled {@code CARECHAT_NOTIFY_OFFLINE}
     * @param after {@code CARECHAT_NOTIFY_AFTER_SECONDS}
     * @param quiet {@code CARECHAT_NOTIFY_QUIET_SECONDS}
     * @param linkBase {@code CARECHAT_NOTIFY_LINK_BASE}, already defaulted to this server's UI
     * @param problems where a bad link goes
     * @return the settings
     */
    static OfflineNotices of(boolean enabled, Duration after, Duration quiet, String linkBase, List<String> problems) {
        try {
            NotificationSettings settings = NotificationSettings.builder(linkBase).delay(after).quietPeriod(quiet).build();
            return new OfflineNotices(enabled, enabled ? Optional.of(settings) : Optional.empty());
        } catch (ConfigurationException e) {
            problems.add(Setting.NOTIFY_LINK_BASE.envName() + " must be an absolute http or https URL");
            return new OfflineNotices(false, Optional.empty());
        }
    }
}

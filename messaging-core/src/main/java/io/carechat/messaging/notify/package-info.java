/**
 * Offline notifications: the settings with which {@code Messaging.builder().notifier(...)} tells
 * users who are offline, through a {@link io.carechat.messaging.spi.Notifier}, that messages wait
 * for them, and the counts the facade keeps of those calls. The notice itself and the notifier
 * are SPI ({@link io.carechat.messaging.spi.OfflineNotice}); the schedule is kept in a
 * {@link io.carechat.messaging.spi.NotificationStore}.
 */
@NullMarked
package io.carechat.messaging.notify;

import org.jspecify.annotations.NullMarked;

package io.carechat.examples;

import io.carechat.messaging.spi.Notifier;
import io.carechat.messaging.spi.OfflineNotice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's {@link Notifier}: writes one line per offline notice to the server log, with the
 * recipient's id, the counts and the deep link, as a stand-in for a push service, e-mail or a
 * pager. The notice holds nothing else, so nothing else can reach the log. Stateless and
 * thread-safe; lives as long as the server.
 */
final class LogNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(LogNotifier.class);

    @Override
    public void deliver(OfflineNotice notice) {
        LOG.info("offline notice: user={} unread={} conversations={} urgent={} link={}", notice.recipient().value(),
                notice.unreadMessages(), notice.conversations(), notice.urgentMessages(), notice.deepLink());
    }
}

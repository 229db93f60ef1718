package io.carechat.examples;

import io.carechat.messaging.auth.LoginThrottle;
import java.time.Duration;

/**
 * The demo server's limits against abuse beyond the contract's own: the per-user rates of
 * {@code typing}, {@code presence} and {@code history} (the send rate is in {@link ServerConfig}),
 * the HTTP requests one client address may have in progress, the total attachment storage, the
 * per-address budgets of unauthenticated requests and WebSocket upgrades, the unauthenticated
 * sockets per address, the login throttle, and the window over which identical refusals are
 * audited as one event, and the time after which uploads never sent are purged. Immutable; part of {@link ServerConfig}, checked
 * with it.
 *
 * @param typingPerSecond typing notices per user per second; the burst is twice that
 * @param presencePerSecond presence changes per user per second; the burst is five times that
 * @param historyPerSecond history pages per user per second; the burst is three times that
 * @param httpRequestsPerAddress HTTP requests one address may have in progress at once
 * @param attachmentStorageBytes the most all stored attachments together may take
 * @param unauthenticatedRequestsPerMinute unauthenticated HTTP requests per address per minute
 * @param wsUpgradesPerMinute WebSocket upgrades per address per minute
 * @param unauthenticatedSocketsPerAddress sockets one address may hold before they authenticate
 * @param loginThrottle the limits of the progressive login throttle
 * @param refusalAuditWindow identical refusals within it are audited as one event with a count
 * @param unlinkedUploadAge how long an upload may stay out of every message before it is purged
 */
record AbuseLimits(int typingPerSecond, int presencePerSecond, int historyPerSecond, int httpRequestsPerAddress,
        long attachmentStorageBytes, int unauthenticatedRequestsPerMinute, int wsUpgradesPerMinute,
        int unauthenticatedSocketsPerAddress, LoginThrottle.Settings loginThrottle, Duration refusalAuditWindow,
        Duration unlinkedUploadAge) {}

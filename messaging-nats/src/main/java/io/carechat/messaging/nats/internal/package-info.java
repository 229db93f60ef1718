/**
 * Implementation classes of the NATS JetStream event bus. Not API: public only for technical
 * reasons, and may change in any release without notice.
 */
@NullMarked
package io.carechat.messaging.nats.internal;

import org.jspecify.annotations.NullMarked;

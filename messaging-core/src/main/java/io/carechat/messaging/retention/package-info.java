/**
 * Retention: the {@link io.carechat.messaging.retention.RetentionPolicy} saying how long messages
 * are kept per conversation kind, and the {@link io.carechat.messaging.retention.RetentionJob} that
 * purges older ones unless a {@link io.carechat.messaging.spi.LegalHold legal hold} stands.
 */
@NullMarked
package io.carechat.messaging.retention;

import org.jspecify.annotations.NullMarked;

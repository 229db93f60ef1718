/**
 * Metrics: {@link io.carechat.messaging.metrics.MessagingMetrics}, what CareChat reports as it
 * works, and {@link io.carechat.messaging.metrics.MicrometerMetrics}, the one class that turns
 * those reports into Micrometer meters. Micrometer is an optional dependency: without a
 * {@code MeterRegistry} handed to a builder, {@link io.carechat.messaging.metrics.MessagingMetrics#NONE}
 * is used and no Micrometer class is loaded. Every tag value comes from a small fixed set (an
 * outcome, a reason, a kind); no user, conversation or message id is ever a tag.
 */
@NullMarked
package io.carechat.messaging.metrics;

import org.jspecify.annotations.NullMarked;

/**
 * CareChat's entry point: the {@link io.carechat.messaging.Messaging} facade and its builder, and
 * the {@link io.carechat.messaging.DefaultAccessPolicy}. The values the facade speaks in live in
 * {@link io.carechat.messaging.model}, the exceptions it throws in {@link
 * io.carechat.messaging.error}. Everything here is stable API.
 */
@NullMarked
package io.carechat.messaging;

import org.jspecify.annotations.NullMarked;

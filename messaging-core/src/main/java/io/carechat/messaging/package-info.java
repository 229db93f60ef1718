/**
 * CareChat's API: the {@link io.carechat.messaging.Messaging} facade, the domain values it speaks
 * in, and the exceptions it throws. Everything here is stable API.
 */
@NullMarked
package io.carechat.messaging;

import org.jspecify.annotations.NullMarked;

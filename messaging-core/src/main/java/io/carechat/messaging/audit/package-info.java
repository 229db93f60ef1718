/**
 * The audit trail's outward side: {@link io.carechat.messaging.audit.AuditRecorder}, through which
 * every service and job writes its events, and exporting stored events as FHIR AuditEvent
 * resources. The trail itself is the {@link io.carechat.messaging.spi.AuditTrail} SPI.
 */
@NullMarked
package io.carechat.messaging.audit;

import org.jspecify.annotations.NullMarked;

/**
 * The audit trail's outward side: {@link io.carechat.messaging.audit.AuditRecorder}, through which
 * every service and job writes its events, exporting stored events as FHIR AuditEvent resources,
 * and exporting conversations as FHIR Communication resources for the medical record. The trail itself is the {@link io.carechat.messaging.spi.AuditTrail} SPI.
 */
@NullMarked
package io.carechat.messaging.audit;

import org.jspecify.annotations.NullMarked;

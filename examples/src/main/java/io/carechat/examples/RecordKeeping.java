package io.carechat.examples;

import java.time.Duration;

/**
 * The demo server's settings for the medical record: how long a sender may recall a message, and
 * the identifier system that the FHIR exports give user ids, so that they resolve to the EHR's own
 * Patient and Practitioner records. Immutable; part of {@link ServerConfig}, checked with it.
 *
 * @param recallWindow how long after sending a sender may recall a message
 * @param fhirIdentifierSystem the identifier system of user ids in the FHIR exports, an absolute URI
 */
record RecordKeeping(Duration recallWindow, String fhirIdentifierSystem) {}

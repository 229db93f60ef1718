/**
 * CareChat's core: the {@link io.carechat.messaging.Messaging} facade, the domain values, the SPIs
 * that adapters implement, tokens and passwords, the wire protocol and the real-time hub, with
 * in-memory stores. Exports its API and SPI packages only; {@code internal} packages stay closed.
 * Micrometer is optional ({@code requires static}): only {@code Messaging.Builder.meterRegistry}
 * and {@link io.carechat.messaging.metrics.MicrometerMetrics} need it.
 */
module io.carechat.messaging {
    requires transitive com.fasterxml.jackson.databind;
    requires transitive com.nimbusds.jose.jwt;
    requires transitive org.jspecify;
    requires org.bouncycastle.provider;
    requires org.slf4j;
    requires static micrometer.core;

    exports io.carechat.messaging;
    exports io.carechat.messaging.audit;
    exports io.carechat.messaging.auth;
    exports io.carechat.messaging.bus;
    exports io.carechat.messaging.crypto;
    exports io.carechat.messaging.error;
    exports io.carechat.messaging.event;
    exports io.carechat.messaging.hub;
    exports io.carechat.messaging.jobs;
    exports io.carechat.messaging.logging;
    exports io.carechat.messaging.memory;
    exports io.carechat.messaging.metrics;
    exports io.carechat.messaging.model;
    exports io.carechat.messaging.notify;
    exports io.carechat.messaging.protocol;
    exports io.carechat.messaging.retention;
    exports io.carechat.messaging.spi;
    exports io.carechat.messaging.testing;
}

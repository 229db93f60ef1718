/**
 * What adapters implement: storage, the event bus and the access policy. Each interface is small;
 * optional hooks are default methods. Implementations are wired explicitly through
 * {@link io.carechat.messaging.Messaging#builder()}, never discovered from the classpath. Every
 * storage implementation must pass the conformance kit in the {@code messaging-tck} artifact
 * ({@code io.carechat.messaging.tck}).
 */
@NullMarked
package io.carechat.messaging.spi;

import org.jspecify.annotations.NullMarked;

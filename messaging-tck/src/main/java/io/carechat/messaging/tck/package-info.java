/**
 * The conformance kit (TCK): abstract JUnit 5 contracts that every storage adapter and event bus
 * passes, published as the {@code io.carechat:messaging-tck} artifact for adapters' tests. An
 * adapter's test subclasses a contract, implements its factory method (and, where it holds
 * resources, its dispose method), and inherits every rule as a test:
 *
 * <ul>
 *   <li>{@link io.carechat.messaging.tck.MessagingStorageContract}: every store of a
 *       {@link io.carechat.messaging.spi.MessagingStorage} on the request path;</li>
 *   <li>{@link io.carechat.messaging.tck.MessageRecallContract}: recalled messages as tombstones
 *       in every read, their originals kept;</li>
 *   <li>{@link io.carechat.messaging.tck.AttachmentStoreContract},
 *       {@link io.carechat.messaging.tck.MessageBodyStoreContract},
 *       {@link io.carechat.messaging.tck.LegalHoldStoreContract},
 *       {@link io.carechat.messaging.tck.AuditTrailContract} (and
 *       {@link io.carechat.messaging.tck.AuditSinkContract} for a sink that only keeps events) and
 *       {@link io.carechat.messaging.tck.RefreshTokenStoreContract}: the compliance and account
 *       stores;</li>
 *   <li>{@link io.carechat.messaging.tck.PresenceStoreContract}: cluster presence under a lease;</li>
 *   <li>{@link io.carechat.messaging.tck.EventBusContract}: an event bus.</li>
 * </ul>
 *
 * <p>The in-memory reference implementations of {@code messaging-core} pass every contract first;
 * this module's own tests prove it, and prove that the kit fails stores that break a rule.
 */
@NullMarked
package io.carechat.messaging.tck;

import org.jspecify.annotations.NullMarked;

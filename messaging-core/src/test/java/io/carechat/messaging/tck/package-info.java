/**
 * The conformance kit (TCK): abstract JUnit 5 contracts that every storage adapter and event bus
 * must pass. Published in {@code messaging-core}'s test jar. An adapter subclasses
 * {@link io.carechat.messaging.tck.MessagingStorageContract} and
 * {@link io.carechat.messaging.tck.EventBusContract}, implements the factory method, and inherits
 * every rule as a test.
 */
@NullMarked
package io.carechat.messaging.tck;

import org.jspecify.annotations.NullMarked;

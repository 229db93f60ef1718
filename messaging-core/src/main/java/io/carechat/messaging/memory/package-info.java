/**
 * In-memory reference implementations of the SPIs, for tests and small single-node deployments.
 * Nothing survives a restart. Every implementation here passes the conformance kit.
 */
@NullMarked
package io.carechat.messaging.memory;

import org.jspecify.annotations.NullMarked;

/**
 * In-memory reference implementations of the storage and event bus SPIs: for tests, demos and
 * single-node embedding where nothing must survive a restart. They pass the conformance kit and
 * define, together with it, what every adapter must do.
 */
@NullMarked
package io.carechat.messaging.memory;

import org.jspecify.annotations.NullMarked;

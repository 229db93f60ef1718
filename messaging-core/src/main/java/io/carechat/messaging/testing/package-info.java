/**
 * Helpers for the tests of applications that embed CareChat and of adapters that plug into it,
 * shipped in the core as Micrometer ships its {@code MockClock}: a {@link java.time.Clock} a test
 * moves by hand. Not for production use. The conformance kits are in the {@code messaging-tck}
 * artifact.
 */
@NullMarked
package io.carechat.messaging.testing;

import org.jspecify.annotations.NullMarked;

/**
 * Encryption at rest: the {@link io.carechat.messaging.crypto.FieldCipher} that seals message bodies
 * and attachment content with AES-256-GCM, reference
 * {@link io.carechat.messaging.spi.KeyProvider key providers}, and the
 * {@link io.carechat.messaging.crypto.KeyRotationJob} that moves old rows to the current key.
 */
@NullMarked
package io.carechat.messaging.crypto;

import org.jspecify.annotations.NullMarked;

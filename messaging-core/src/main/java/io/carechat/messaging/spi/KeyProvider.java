package io.carechat.messaging.spi;

import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKey;

/**
 * The keys CareChat encrypts stored message bodies and attachments with (AES-256). Each key has a
 * short id that is written beside every ciphertext, so old rows keep decrypting after a rotation:
 * new writes use {@link #currentKeyId()}, reads look the key up by the id they carry.
 *
 * <p>Rotation: add a new key and make it current; keep the old ones until
 * {@code io.carechat.messaging.crypto.KeyRotationJob} has moved every row to the new key.
 *
 * <p>Implementations are thread-safe and immutable once built (to rotate, build a new provider and
 * a new {@code Messaging}). Key ids are 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}.
 * Reference implementations: {@code io.carechat.messaging.crypto.EnvironmentKeyProvider}
 * and {@code io.carechat.messaging.crypto.KeyStoreKeyProvider}.
 */
public interface KeyProvider {

    /**
     * The id of the key new writes use.
     *
     * @return the current key's id, one of {@link #keyIds()}
     */
    String currentKeyId();

    /**
     * Every key id this provider holds.
     *
     * @return the ids
     */
    Set<String> keyIds();

    /**
     * Finds a key.
     *
     * @param keyId the id written beside a ciphertext
     * @return the 256-bit AES key, or empty if this provider does not hold it
     */
    Optional<SecretKey> key(String keyId);
}

package io.carechat.messaging.spi;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys CareChat encrypts stored message bodies, attachments, file names and notes with
 * (AES-256), and from which the audit chain's HMAC keys come ({@link #macKey(String)}). Each key has a
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

    /**
     * Finds the HMAC-SHA256 key that keys the audit trail's hash chain for the events written
     * while {@code keyId} was current. It never reaches the database; each event records only the
     * id. The default derives it from {@link #key(String)} as HMAC-SHA256(key, {@code
     * "carechat audit chain v1"}), so the AES key itself never keys a MAC and the chain's key
     * rotates with the others; a provider with separate MAC keys overrides it.
     *
     * @param keyId a key id, as recorded beside an audit event
     * @return the 256-bit HMAC key, or empty if this provider does not hold it
     */
    default Optional<SecretKey> macKey(String keyId) {
        return key(keyId).map(key -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                byte[] derived = mac.doFinal("carechat audit chain v1".getBytes(StandardCharsets.US_ASCII));
                return new SecretKeySpec(derived, "HmacSHA256");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is unavailable or the key cannot key it", e);
            }
        });
    }
}

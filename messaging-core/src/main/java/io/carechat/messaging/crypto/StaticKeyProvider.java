package io.carechat.messaging.crypto;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.spi.KeyProvider;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A {@link KeyProvider} holding a fixed set of AES-256 keys in memory, the newest added being
 * current unless said otherwise. What {@link EnvironmentKeyProvider} and
 * {@link KeyStoreKeyProvider} load into; {@link #generate(String...)} makes random keys for tests
 * and demos (they die with the process, and so does every row sealed with them). Immutable and
 * thread-safe; {@link #toString()} names the key ids only.
 */
public final class StaticKeyProvider implements KeyProvider {
    /** The length of an AES-256 key in bytes. */
    public static final int KEY_BYTES = 32;

    private final Map<String, SecretKey> keys;
    private final String current;

    private StaticKeyProvider(Map<String, SecretKey> keys, String current) {
        this.keys = Map.copyOf(keys);
        this.current = current;
    }

    /**
     * A provider of the given keys.
     *
     * @param keys the keys by id
     * @param current the id of the key new writes use, one of the keys
     * @return the provider
     * @throws IllegalArgumentException if a key is not 256 bits, an id is malformed, or
     *     {@code current} is not among them
     */
    public static StaticKeyProvider of(Map<String, byte[]> keys, String current) {
        requireNonNull(keys, "keys");
        requireNonNull(current, "current");
        Map<String, SecretKey> copy = new LinkedHashMap<>();
        keys.forEach((id, material) -> copy.put(KeyIds.check(id), aes(material)));
        if (!copy.containsKey(current)) {
            throw new IllegalArgumentException("the current key id is not among the keys");
        }
        return new StaticKeyProvider(copy, current);
    }

    /**
     * A provider of fresh random keys, the last one current. For tests and demos.
     *
     * @param ids the key ids, at least one
     * @return the provider
     */
    public static StaticKeyProvider generate(String... ids) {
        if (ids.length == 0) {
            throw new IllegalArgumentException("at least one key id");
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String id : ids) {
            keys.put(id, random());
        }
        return of(keys, ids[ids.length - 1]);
    }

    /**
     * This provider's keys plus a fresh random one that becomes current: a rotation, for tests
     * and demos.
     *
     * @param id the new key's id
     * @return the new provider; this one is unchanged
     */
    public StaticKeyProvider withNewKey(String id) {
        Map<String, SecretKey> more = new LinkedHashMap<>(keys);
        if (more.putIfAbsent(KeyIds.check(id), aes(random())) != null) {
            throw new IllegalArgumentException("the key id is taken");
        }
        return new StaticKeyProvider(more, id);
    }

    static SecretKey aes(byte[] material) {
        if (material.length != KEY_BYTES) {
            throw new IllegalArgumentException("an AES-256 key has " + KEY_BYTES + " bytes");
        }
        return new SecretKeySpec(material, "AES");
    }

    private static byte[] random() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Override
    public String currentKeyId() {
        return current;
    }

    @Override
    public Set<String> keyIds() {
        return keys.keySet();
    }

    @Override
    public Optional<SecretKey> key(String keyId) {
        return Optional.ofNullable(keys.get(requireNonNull(keyId, "keyId")));
    }

    @Override
    public String toString() {
        return "StaticKeyProvider[current=" + current + ", keys=" + keys.keySet() + "]";
    }
}

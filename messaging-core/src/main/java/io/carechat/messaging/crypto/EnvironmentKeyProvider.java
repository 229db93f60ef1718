package io.carechat.messaging.crypto;

import io.carechat.messaging.error.ConfigurationException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Loads encryption keys from an environment variable, by default {@value #VARIABLE}, of the form
 * {@code kid1:BASE64,kid2:BASE64}: comma-separated entries, each a key id, a colon and 32 bytes of
 * key material in standard Base64 (make one with {@code openssl rand -base64 32}). The <em>last</em>
 * entry is the current key for new writes; to rotate, append a new entry and restart, and keep the
 * old entries until the {@link KeyRotationJob} has finished. Stateless.
 */
public final class EnvironmentKeyProvider {
    /** The variable {@link #fromEnvironment()} reads. */
    public static final String VARIABLE = "CARECHAT_KEYS";

    private EnvironmentKeyProvider() {}

    /**
     * Loads the keys from {@value #VARIABLE}.
     *
     * @return the provider
     * @throws ConfigurationException if the variable is unset or malformed (the message never
     *     carries key material)
     */
    public static StaticKeyProvider fromEnvironment() {
        return parse(System.getenv(VARIABLE));
    }

    /**
     * Parses a key list in the variable's form.
     *
     * @param spec the list, or null when unset
     * @return the provider
     * @throws ConfigurationException if the list is missing or malformed, naming every bad entry
     *     by position (the message never carries key material)
     */
    public static StaticKeyProvider parse(@Nullable String spec) {
        if (spec == null || spec.isBlank()) {
            throw new ConfigurationException(VARIABLE, List.of(VARIABLE + " is not set"));
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        String last = null;
        String[] entries = spec.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            int colon = entry.indexOf(':');
            if (colon < 1) {
                problems.add("entry " + (i + 1) + " is not 'keyId:base64'");
                continue;
            }
            String id = entry.substring(0, colon);
            try {
                KeyIds.check(id);
                byte[] material = Base64.getDecoder().decode(entry.substring(colon + 1).strip());
                StaticKeyProvider.aes(material);
                if (keys.put(id, material) != null) {
                    problems.add("entry " + (i + 1) + " repeats a key id");
                }
                last = id;
            } catch (IllegalArgumentException e) {
                problems.add("entry " + (i + 1) + " needs a well-formed key id and 32 bytes of Base64 key material");
            }
        }
        if (!problems.isEmpty() || last == null) {
            if (problems.isEmpty()) {
                problems.add(VARIABLE + " holds no key");
            }
            throw new ConfigurationException(VARIABLE, problems);
        }
        return StaticKeyProvider.of(keys, last);
    }
}

package io.carechat.messaging.crypto;

import java.util.regex.Pattern;

/** The form of key ids. Stateless. */
final class KeyIds {
    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private KeyIds() {}

    static String check(String keyId) {
        if (!FORM.matcher(keyId).matches()) {
            throw new IllegalArgumentException("a key id has 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return keyId;
    }
}

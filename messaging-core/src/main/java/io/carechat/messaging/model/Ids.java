package io.carechat.messaging.model;

import java.util.regex.Pattern;

/**
 * The form every CareChat id shares: 1 to {@value #MAX_LENGTH} characters from {@code
 * [A-Za-z0-9_-]}. The typed ids check it on construction; parsers use it to refuse bad input
 * before building one. Stateless and thread-safe.
 */
public final class Ids {
    /** The longest id accepted. */
    public static final int MAX_LENGTH = 64;

    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");

    private Ids() {}

    /**
     * Returns {@code value} if it is a well-formed id.
     *
     * @param value the candidate
     * @param kind the id type's name, for the error message
     * @return {@code value}
     * @throws IllegalArgumentException naming the kind (but not echoing the value) when malformed
     */
    public static String check(String value, String kind) {
        if (value == null) {
            throw new IllegalArgumentException(kind + " must not be null");
        }
        if (!FORM.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    kind + " must be 1 to " + MAX_LENGTH + " characters from [A-Za-z0-9_-]");
        }
        return value;
    }

    /**
     * Tells whether {@code value} is a well-formed id, without throwing.
     *
     * @param value the candidate, may be null
     * @return true when well-formed
     */
    public static boolean isWellFormed(String value) {
        return value != null && FORM.matcher(value).matches();
    }
}

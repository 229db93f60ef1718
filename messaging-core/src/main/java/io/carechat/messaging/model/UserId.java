package io.carechat.messaging.model;

import java.util.UUID;

/**
 * The id of a user: a patient, a doctor or an admin.
 *
 * <p>An id is 1 to {@value #MAX_LENGTH} characters, so that the subject ({@code sub}) of a
 * hospital's identity provider can be the CareChat user id as it is: Auth0's {@code auth0|5f7c...},
 * an e-mail-shaped subject, an Entra ID object id or a Keycloak user id (GUIDs), an Okta id
 * ({@code 00u...}), or a URL such as {@code https://idp.example.org/users/42}. Refused: control
 * characters (line breaks and tabs included), invisible format characters (such as bidirectional
 * overrides), any whitespace other than the plain space, a leading or trailing space, and anything
 * longer than {@value #MAX_LENGTH} characters. The ids CareChat makes itself ({@link #random()})
 * are UUIDs. Immutable and thread-safe.
 *
 * @param value the id's text
 */
public record UserId(String value) {

    /** The longest user id accepted, in characters. */
    public static final int MAX_LENGTH = 255;

    /** Checks the id's form. */
    public UserId {
        if (value == null) {
            throw new IllegalArgumentException("UserId must not be null");
        }
        if (!isWellFormed(value)) {
            throw new IllegalArgumentException("UserId must be 1 to " + MAX_LENGTH
                    + " printable characters, with no control characters and no leading or trailing space");
        }
    }

    /**
     * Wraps an existing id.
     *
     * @param value the id's text
     * @return the id
     * @throws IllegalArgumentException if {@code value} is not a well-formed id
     */
    public static UserId of(String value) {
        return new UserId(value);
    }

    /**
     * Tells whether {@code value} is a well-formed user id, without throwing.
     *
     * @param value the candidate, may be null
     * @return true when well-formed
     */
    public static boolean isWellFormed(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        if (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ') {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (!allowed(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allowed(char c) {
        if (c == ' ') {
            return true;
        }
        if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
            return false;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.PRIVATE_USE,
                    Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    /**
     * The key of an unordered pair of users, the same in either order and never the same for two
     * different pairs: the smaller id, a colon, the larger id, with every backslash and colon in the
     * ids escaped by a backslash. For ids without either character (all ids CareChat makes) it is
     * simply {@code smaller:larger}. At most {@code 4 * MAX_LENGTH + 1} characters.
     *
     * @param a one user
     * @param b the other
     * @return the pair's key
     */
    public static String pairKey(UserId a, UserId b) {
        boolean aFirst = a.value.compareTo(b.value) < 0;
        return escaped(aFirst ? a.value : b.value) + ":" + escaped(aFirst ? b.value : a.value);
    }

    private static String escaped(String id) {
        return id.replace("\\", "\\\\").replace(":", "\\:");
    }

    /**
     * Makes a new random id.
     *
     * @return a new id, unique with overwhelming probability
     */
    public static UserId random() {
        return new UserId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}

package io.carechat.messaging.crypto;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.crypto.FieldCipher.FieldContext;
import io.carechat.messaging.error.IntegrityException;

/**
 * The stored form of a short text field that used to be kept in clear (an attachment's file name,
 * a role request's note): {@value #MARK} followed by the field sealed with {@link FieldCipher}. A
 * stored value without the mark was written before these fields were sealed and is read as it is
 * until {@link KeyRotationJob} seals it. No clear value can look sealed: file names never hold a
 * {@code /}, and the schema migration that brought sealing put a space before any note that began
 * with the mark.
 *
 * <p>Thread-safe; holds no state but the cipher.
 */
public final class SealedText {
    /** What every sealed value starts with. */
    public static final String MARK = "/sealed/";

    private final FieldCipher cipher;

    /**
     * Creates the codec on a cipher.
     *
     * @param cipher the field cipher
     */
    public SealedText(FieldCipher cipher) {
        this.cipher = requireNonNull(cipher, "cipher");
    }

    /**
     * Seals a text under the current key.
     *
     * @param text the text
     * @param context the row and field it belongs to
     * @return the stored form
     */
    public String seal(String text, FieldContext context) {
        return MARK + cipher.sealText(text, context);
    }

    /**
     * Opens a stored value; one written in clear before sealing is returned as it is.
     *
     * @param stored the stored form
     * @param context the row and field it was read from
     * @return the text
     * @throws IntegrityException if a sealed value does not open
     */
    public String open(String stored, FieldContext context) {
        return isSealed(stored) ? cipher.openText(stored.substring(MARK.length()), context) : stored;
    }

    /**
     * Tells whether a stored value is sealed.
     *
     * @param stored the stored form
     * @return true if it carries the mark
     */
    public static boolean isSealed(String stored) {
        return stored.startsWith(MARK);
    }

    /**
     * Tells whether a stored value is sealed in the current format under the current key, so that
     * key rotation leaves it alone; a value in clear is not.
     *
     * @param stored the stored form
     * @param currentKeyId the key provider's current key id
     * @return true if nothing is left to do for it
     * @throws IntegrityException if a sealed value's header is not well-formed
     */
    public static boolean isCurrent(String stored, String currentKeyId) {
        return isSealed(stored) && FieldCipher.isCurrent(stored.substring(MARK.length()), currentKeyId);
    }
}

package io.carechat.messaging.internal;

/**
 * Makes an uploaded file's name safe to show: only the last path segment (after {@code /} or
 * {@code \}), without control, format or line-separating characters, without the characters that
 * break out of quoted header values, markup or shell words ({@code " ; < > * ? | `}), trimmed, at most
 * {@value #MAX_LENGTH} code points, and never empty, {@code .} or {@code ..}. The result is display
 * text only; it never names a file anywhere. Not API. Stateless.
 */
public final class FileNames {
    /** The longest name kept, in code points. */
    public static final int MAX_LENGTH = 120;

    private static final String FALLBACK = "attachment";
    private static final String REMOVED = "\";<>*?|`";

    private FileNames() {}

    /**
     * Sanitises a name.
     *
     * @param name the name as the client sent it
     * @return the display name
     */
    public static String sanitise(String name) {
        String last = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        StringBuilder out = new StringBuilder();
        last.codePoints().filter(FileNames::allowed).limit(MAX_LENGTH).forEach(out::appendCodePoint);
        String clean = out.toString().strip();
        return clean.isEmpty() || clean.equals(".") || clean.equals("..") ? FALLBACK : clean;
    }

    private static boolean allowed(int cp) {
        if (Character.isISOControl(cp) || REMOVED.indexOf(cp) >= 0) {
            return false;
        }
        int type = Character.getType(cp);
        return type != Character.FORMAT && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR
                && type != Character.SURROGATE && type != Character.PRIVATE_USE && type != Character.UNASSIGNED;
    }
}

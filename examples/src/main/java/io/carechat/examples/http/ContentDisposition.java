package io.carechat.examples.http;

import java.nio.charset.StandardCharsets;

/**
 * The headers of a file download: {@code Content-Disposition: attachment}, so the browser saves the
 * file instead of rendering it in the demo's origin, with the name in RFC 6266 / RFC 8187 form
 * (an ASCII fallback and the exact UTF-8 name), and a sandboxing content security policy in case a
 * browser renders it anyway. Stateless.
 */
public final class ContentDisposition {
    /** The policy of a download: no scripts, no plugins, no same-origin access. */
    public static final String DOWNLOAD_POLICY = "sandbox; default-src 'none'";

    private ContentDisposition() {}

    /**
     * The {@code Content-Disposition} value for saving a file under {@code fileName}.
     *
     * @param fileName the name, any characters
     * @return {@code attachment; filename="..."; filename*=UTF-8''...}
     */
    public static String attachment(String fileName) {
        return "attachment; filename=\"" + asciiFallback(fileName) + "\"; filename*=UTF-8''" + percentEncoded(fileName);
    }

    private static String asciiFallback(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(c -> out.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? (char) c : '_'));
        return out.toString();
    }

    private static String percentEncoded(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append(String.format("%%%02X", c));
            }
        }
        return out.toString();
    }
}

package io.carechat.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Downloads are named for saving, in a form no file name can break out of")
class ContentDispositionTest {
    @Test
    @DisplayName("A plain name is given as is, in both forms")
    void plainName() {
        assertThat(ContentDisposition.attachment("scan.png"))
                .isEqualTo("attachment; filename=\"scan.png\"; filename*=UTF-8''scan.png");
    }

    @Test
    @DisplayName("Accents are percent-encoded as UTF-8 and replaced in the ASCII fallback")
    void unicodeName() {
        assertThat(ContentDisposition.attachment("scan é.png"))
                .isEqualTo("attachment; filename=\"scan _.png\"; filename*=UTF-8''scan%20%C3%A9.png");
    }

    @Test
    @DisplayName("Quotes, semicolons, CR/LF and backslashes cannot end the header value or add a header")
    void hostileName() {
        String value = ContentDisposition.attachment("a\"; filename=evil.html\r\nX-Injected: 1\\.pdf");
        assertThat(value).doesNotContain("\r").doesNotContain("\n");
        assertThat(value).startsWith("attachment; filename=\"a_; filename=evil.html__X-Injected: 1_.pdf\"; filename*=UTF-8''");
        assertThat(value.substring(value.indexOf("filename*="))).doesNotContain("\"").doesNotContain(";").doesNotContain(" ");
    }
}

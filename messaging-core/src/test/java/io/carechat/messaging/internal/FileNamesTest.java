package io.carechat.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Uploaded file names are kept only as safe display text")
class FileNamesTest {
    @Test
    @DisplayName("Quotes, semicolons, angle brackets and shell characters are removed")
    void breakoutCharactersAreRemoved() {
        assertThat(FileNames.sanitise("a\"; filename=<script>x`|?*.pdf")).isEqualTo("a filename=scriptx.pdf");
    }

    @Test
    @DisplayName("Control and line-separating characters are removed, and only the last path segment is kept")
    void controlCharactersAndPathsAreRemoved() {
        assertThat(FileNames.sanitise("../../etc/pass\u0000wd\r\nX: 1\u2028.png")).isEqualTo("passwdX: 1.png");
        assertThat(FileNames.sanitise("C:\\Users\\ann\\scan é.png")).isEqualTo("scan é.png");
    }

    @Test
    @DisplayName("A name with nothing left becomes 'attachment'; a long one is cut")
    void emptyAndLongNames() {
        assertThat(FileNames.sanitise("\"<>")).isEqualTo("attachment");
        assertThat(FileNames.sanitise("..")).isEqualTo("attachment");
        assertThat(FileNames.sanitise("x".repeat(500))).hasSize(FileNames.MAX_LENGTH);
    }
}

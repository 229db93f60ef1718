package io.carechat.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's Spring Boot recipe is this module's code, word for word: its
 * {@code application.properties}, and the snippets its sources mark with
 * {@code // --- README: ... ---}. The code compiles with the module, and
 * {@link CareChatExampleApplicationTest} runs it on PostgreSQL.
 */
@DisplayName("The README's Spring Boot recipe is the example application's own code")
class SpringBootRecipeTest {

    private static final Path README = Path.of("../../README.md");
    private static final Path SOURCES = Path.of("src/main/java/io/carechat/examples/spring");
    private static final Pattern SNIPPET =
            Pattern.compile("// --- README: [^\\n]*---\\n(.*?)\\n\\s*// --- end README ---", Pattern.DOTALL);

    @Test
    @DisplayName("The README quotes the example's application.properties in full")
    void readmeQuotesTheProperties() throws IOException {
        String properties = Files.readString(Path.of("src/main/resources/application.properties"));
        assertThat(normalized(Files.readString(README))).contains(normalized(properties.strip()));
    }

    @Test
    @DisplayName("The README quotes every snippet the example's sources mark for it")
    void readmeQuotesTheMarkedSnippets() throws IOException {
        String readme = normalized(Files.readString(README));
        List<String> snippets = new ArrayList<>();
        for (String file : List.of("SecurityConfiguration.java", "UnreadController.java")) {
            Matcher m = SNIPPET.matcher(Files.readString(SOURCES.resolve(file)));
            while (m.find()) {
                snippets.add(m.group(1));
            }
        }
        assertThat(snippets).hasSize(2);
        for (String snippet : snippets) {
            assertThat(readme).contains(normalized(snippet));
        }
    }

    /** Each line trimmed, so indentation does not count. */
    private static String normalized(String text) {
        return text.lines().map(String::trim).collect(Collectors.joining("\n"));
    }
}

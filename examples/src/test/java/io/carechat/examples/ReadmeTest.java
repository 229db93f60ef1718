package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Keeps the README's promises: its commands and its embedding example are the tested ones. */
class ReadmeTest {
    private static final Path ROOT = Path.of("..");
    static final String RUN_LINE = "mvn -q -DskipTests package && java -jar examples/target/carechat-demo.jar";

    @Test
    @DisplayName("the README has exactly one run line, which starts the jar DemoServerIT starts, and the test line mvn verify")
    void commands() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        assertThat(lines.stream().filter(l -> l.contains("java -jar examples/target/carechat-demo.jar") && l.startsWith("mvn")))
                .containsExactly(RUN_LINE);
        assertThat(lines).contains("mvn verify");
        assertThat(Files.readString(ROOT.resolve(".ci/run"))).contains("mvn -B -ntp verify");
    }

    @Test
    @DisplayName("the README's embedding example is the body of messaging-core's ReadmeExampleTest")
    void embeddingSnippet() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher block = Pattern.compile("## Embedding.*?```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("a java block under Embedding").isTrue();
        String test = Files.readString(ROOT.resolve(
                "messaging-core/src/test/java/io/carechat/messaging/ReadmeExampleTest.java"));
        String snippet = test.substring(test.indexOf('\n', test.indexOf("// README-SNIPPET-START")) + 1,
                test.indexOf("// README-SNIPPET-END"));
        assertThat(normalize(block.group(1))).isEqualTo(normalize(snippet));
    }

    @Test
    @DisplayName("every setting in the README's table of limits exists, with the default the server uses")
    void limitsTableMatchesTheSettings() throws IOException {
        Matcher row = Pattern.compile("^\\| `(CARECHAT_[A-Z_]+)` \\| ([^|]+) \\|", Pattern.MULTILINE)
                .matcher(Files.readString(ROOT.resolve("README.md")));
        int rows = 0;
        while (row.find()) {
            String name = row.group(1);
            Setting setting = Setting.valueOf(name.substring("CARECHAT_".length()));
            assertThat(row.group(2).trim()).as(name).isEqualTo(setting.defaultValue());
            rows++;
        }
        assertThat(rows).as("rows in the table").isGreaterThanOrEqualTo(10);
    }

    @Test
    @DisplayName("the README's identity provider example is the body of messaging-core's IdentityProviderReadmeExampleTest")
    void identityProviderSnippet() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher block = Pattern.compile("### Your identity provider.*?```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("a java block under Your identity provider").isTrue();
        String test = Files.readString(ROOT.resolve(
                "messaging-core/src/test/java/io/carechat/messaging/auth/IdentityProviderReadmeExampleTest.java"));
        String snippet = test.substring(test.indexOf('\n', test.indexOf("// README-SNIPPET-START")) + 1,
                test.indexOf("// README-SNIPPET-END"));
        assertThat(normalize(block.group(1))).isEqualTo(normalize(snippet));
    }

    @Test
    @DisplayName("the README's directory sync example is the body of messaging-core's DirectoryReadmeExampleTest")
    void directorySnippet() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher block = Pattern.compile("### Your user directory.*?```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("a java block under Your user directory").isTrue();
        String test = Files.readString(ROOT.resolve(
                "messaging-core/src/test/java/io/carechat/messaging/auth/DirectoryReadmeExampleTest.java"));
        String snippet = test.substring(test.indexOf('\n', test.indexOf("// README-SNIPPET-START")) + 1,
                test.indexOf("// README-SNIPPET-END"));
        assertThat(normalize(block.group(1))).isEqualTo(normalize(snippet));
    }

    private static String normalize(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce("", (a, b) -> a + b + "\n");
    }
}

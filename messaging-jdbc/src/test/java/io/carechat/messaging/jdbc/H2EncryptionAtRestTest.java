package io.carechat.messaging.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Encryption at rest on H2")
class H2EncryptionAtRestTest extends EncryptionAtRestContract {
    @TempDir
    Path dir;

    @Override
    TestDatabase createDatabase() {
        return H2TestDatabase.inFile(dir);
    }

    @Override
    String prefix() {
        return "";
    }

    @Test
    @DisplayName("neither H2's SQL script of the database nor the bytes of its file hold a body")
    void scriptAndFile() throws Exception {
        StringBuilder script = new StringBuilder();
        try (Connection c = createDatabaseConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SCRIPT")) {
            while (rs.next()) {
                script.append(rs.getString(1)).append('\n');
            }
        }
        assertThat(script).contains("INSERT INTO").doesNotContain("CANARY-BODY");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            assertThat(all).isNotEmpty();
            for (Path file : all) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain("CANARY-BODY");
            }
        }
    }

    private Connection createDatabaseConnection() throws SQLException {
        return dataSource().getConnection();
    }
}

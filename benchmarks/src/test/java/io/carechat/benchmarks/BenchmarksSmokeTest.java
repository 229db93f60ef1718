package io.carechat.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The benchmarks run end to end at a tiny size; speed itself is reported, never asserted. */
class BenchmarksSmokeTest {

    @Test
    @DisplayName("the send benchmark stores every message it counts, with gapless seq per conversation")
    void sendBenchmarkStoresWhatItCounts() throws Exception {
        try (Database db = Database.h2Memory()) {
            SendThroughput.Load load = new SendThroughput.Load(4, 5, 2);
            Measurement m = SendThroughput.carechat("smoke", db.dataSource, load, 8, Duration.ofMillis(1));
            assertThat(m.operations()).isEqualTo(20);
            try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT conversation_id, COUNT(*), MIN(seq), MAX(seq) FROM messages"
                            + " GROUP BY conversation_id")) {
                int conversations = 0;
                while (rs.next()) {
                    conversations++;
                    assertThat(rs.getLong(3)).isEqualTo(1);
                    assertThat(rs.getLong(4)).isEqualTo(rs.getLong(2));
                }
                assertThat(conversations).isEqualTo(2);
            }
        }
    }

    @Test
    @DisplayName("the report has a row per run with its ratio to the ceiling measured in the same run")
    void reportRows() throws Exception {
        try (Database db = Database.h2Memory()) {
            List<String> table = Benchmarks.sendTable(db, 3);
            assertThat(table).anyMatch(row -> row.startsWith("| CareChat send, group commit"))
                    .anyMatch(row -> row.startsWith("| CareChat send, one commit per message"))
                    .anyMatch(row -> row.startsWith("| ceiling:") && row.endsWith("| 1.00 |"));
        }
    }
}

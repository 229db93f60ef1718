package io.carechat.messaging.jdbc;

import static io.carechat.messaging.jdbc.SchemaAssertions.appliedVersions;
import static io.carechat.messaging.jdbc.SchemaAssertions.historyTable;
import static io.carechat.messaging.jdbc.SchemaAssertions.tableExists;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.jdbc.internal.SchemaMigrator;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.tck.Concurrently;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The schema migration rules, for each database. */
@EachDatabase
@DisplayName("Schema migrations")
class SchemaMigrationTest {
    private TestDatabase database;

    private final DatabaseUnderTest databaseUnderTest;

    SchemaMigrationTest(DatabaseUnderTest databaseUnderTest) {
        this.databaseUnderTest = databaseUnderTest;
    }

    /** A fresh, empty database. */
    private TestDatabase openDatabase() {
        return databaseUnderTest.open();
    }

    @BeforeEach
    void open() {
        database = openDatabase();
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    @DisplayName("an empty database gets every table and a history of every version")
    void migratesAnEmptyDatabase() throws Exception {
        try (JdbcStorage storage = JdbcStorage.builder(database.dataSource()).build()) {
            for (String table : SchemaAssertions.TABLES) {
                assertThat(tableExists(database.dataSource(), table)).as(table).isTrue();
            }
            assertThat(appliedVersions(database.dataSource(), "")).containsExactlyElementsOf(allVersions());
            assertThat(storage.users().count()).isZero();
        }
    }

    @Test
    @DisplayName("migrating an up-to-date database runs nothing and changes nothing")
    void reMigrationIsANoOp() throws Exception {
        try (JdbcStorage storage = JdbcStorage.builder(database.dataSource()).build()) {
            UserId kept = Fixtures.user(storage, Role.PATIENT);
            List<String> before = appliedVersions(database.dataSource(), "");
            assertThat(storage.migrate()).isZero();
            try (JdbcStorage again = JdbcStorage.builder(database.dataSource()).build()) {
                assertThat(again.users().find(kept)).isPresent();
            }
            assertThat(appliedVersions(database.dataSource(), "")).isEqualTo(before);
        }
    }

    @Test
    @DisplayName("four nodes starting at once on an empty database migrate it once, and all of them work")
    void nodesStartingTogetherMigrateOnce() throws Exception {
        List<HikariDataSource> pools = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pools.add(database.openPool(2));
        }
        try {
            List<JdbcStorage> nodes = Concurrently.run(4, i -> () -> JdbcStorage.builder(pools.get(i)).build());
            assertThat(appliedVersions(database.dataSource(), "")).containsExactlyElementsOf(allVersions());
            for (JdbcStorage node : nodes) {
                assertThat(node.users().count()).isZero();
                node.close();
            }
        } finally {
            pools.forEach(HikariDataSource::close);
        }
    }

    @Test
    @DisplayName("a database at every earlier version is brought to the newest, and the stores then work")
    void upgradesFromEveryEarlierVersion() throws Exception {
        List<String> versions = allVersions();
        if (databaseUnderTest == DatabaseUnderTest.MARIADB) {
            Assumptions.assumeTrue(versions.size() > 1, "MariaDB's schema starts at one version, V27: no earlier one yet");
        }
        assertThat(versions).as("there are earlier versions to start from").hasSizeGreaterThan(1);
        for (String start : versions.subList(0, versions.size() - 1)) {
            try (TestDatabase fresh = openDatabase()) {
                SchemaMigrator.configuration(fresh.dataSource(), "").target(start).load().migrate();
                assertThat(appliedVersions(fresh.dataSource(), "")).as("at " + start).endsWith(start);
                try (JdbcStorage storage = JdbcStorage.builder(fresh.dataSource()).build()) {
                    assertThat(appliedVersions(fresh.dataSource(), "")).as("from " + start)
                            .containsExactlyElementsOf(versions);
                    UserId a = Fixtures.user(storage, Role.DOCTOR);
                    UserId b = Fixtures.user(storage, Role.PATIENT);
                    Conversation c = storage.conversations().openDirect(ConversationId.random(), a, b, Fixtures.T0);
                    assertThat(storage.messages().append(Fixtures.message(c.id(), a, "k1")).message().seq())
                            .isEqualTo(1);
                }
            }
        }
    }

    @Test
    @DisplayName("a database with a newer CareChat schema than the code is refused with a clear configuration error")
    void newerSchemaIsRefused() throws Exception {
        try (JdbcStorage storage = JdbcStorage.builder(database.dataSource()).build()) {
            assertThat(storage.migrate()).isZero();
            String quote = SchemaAssertions.quoted(database.dataSource(), "").substring(1);
            SchemaAssertions.execute(database.dataSource(), ("INSERT INTO " + historyTable(database.dataSource(), "")
                    + " (\"installed_rank\", \"version\", \"description\", \"type\", \"script\", \"checksum\","
                    + " \"installed_by\", \"execution_time\", \"success\")").replace("\"", quote)
                    + " VALUES (99, '99', 'from a newer CareChat', 'SQL', 'V99__future.sql', 0, 'test', 1, TRUE)");
        }
        assertThatThrownBy(() -> JdbcStorage.builder(database.dataSource()).build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .singleElement().asString().contains("version 99").contains("newer"));
    }

    @Test
    @DisplayName("without migration on build, an unmigrated schema is a clear configuration error until migrate() runs")
    void withoutMigrationAnOldSchemaIsRefused() {
        assertThatThrownBy(() -> JdbcStorage.builder(database.dataSource()).migrateOnBuild(false).build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .singleElement().asString().contains("migrate"));
        try (JdbcStorage migrating = JdbcStorage.builder(database.dataSource()).build();
                JdbcStorage checking = JdbcStorage.builder(database.dataSource()).migrateOnBuild(false).build()) {
            assertThat(migrating.migrate()).isZero();
            assertThat(checking.users().count()).isZero();
        }
    }

    @Test
    @DisplayName("a table prefix applies to every table and the history table, and two prefixes share a schema apart")
    void tablePrefixSeparatesSchemas() throws Exception {
        try (JdbcStorage first = JdbcStorage.builder(database.dataSource()).tablePrefix("cc_").build();
                JdbcStorage second = JdbcStorage.builder(database.dataSource()).tablePrefix("other_").build()) {
            for (String table : SchemaAssertions.TABLES) {
                assertThat(tableExists(database.dataSource(), "cc_" + table)).as("cc_" + table).isTrue();
                assertThat(tableExists(database.dataSource(), table)).as(table).isFalse();
            }
            assertThat(appliedVersions(database.dataSource(), "cc_")).containsExactlyElementsOf(allVersions());
            UserId onlyInFirst = Fixtures.user(first, Role.PATIENT);
            assertThat(first.users().find(onlyInFirst)).isPresent();
            assertThat(second.users().find(onlyInFirst)).isEmpty();
            assertThat(second.users().count()).isZero();
        }
    }

    @Test
    @DisplayName("CareChat's schema is created beside the application's own tables, which it leaves alone")
    void livesBesideApplicationTables() throws Exception {
        SchemaAssertions.execute(database.dataSource(), "CREATE TABLE hospital_wards (id INT PRIMARY KEY)");
        SchemaAssertions.execute(database.dataSource(), "INSERT INTO hospital_wards (id) VALUES (7)");
        try (JdbcStorage storage = JdbcStorage.builder(database.dataSource()).tablePrefix("cc_").build()) {
            assertThat(Fixtures.user(storage, Role.PATIENT)).isNotNull();
            assertThat(appliedVersions(database.dataSource(), "cc_")).containsSubsequence(allVersions());
            assertThat(tableExists(database.dataSource(), "hospital_wards")).isTrue();
        }
    }

    /** The versions of every migration the code has for this database, ascending. */
    private List<String> allVersions() {
        if (databaseUnderTest == DatabaseUnderTest.MARIADB) {
            return versionsOf(database);
        }
        try (TestDatabase scratch = H2TestDatabase.inMemory()) {
            return versionsOf(scratch);
        }
    }

    /** Reads the code's migrations for a database; changes nothing there. */
    private static List<String> versionsOf(TestDatabase on) {
        MigrationInfo[] all = SchemaMigrator.configuration(on.dataSource(), "").load().info().all();
        return Arrays.stream(all).map(info -> info.getVersion().getVersion()).toList();
    }
}

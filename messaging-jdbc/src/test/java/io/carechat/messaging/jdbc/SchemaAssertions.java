package io.carechat.messaging.jdbc;

import io.carechat.messaging.jdbc.internal.SchemaMigrator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Looks at the schema with plain JDBC, independent of the code under test. Stateless. */
final class SchemaAssertions {
    /** CareChat's tables, without prefix. */
    static final List<String> TABLES = List.of(
            "users", "role_requests", "conversations", "members", "messages", "refresh_tokens");

    private SchemaAssertions() {}

    /** Tells whether {@code SELECT COUNT(*) FROM table} works. */
    static boolean tableExists(DataSource dataSource, String table) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeQuery("SELECT COUNT(*) FROM " + table).close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** The quoted name of the history table: Flyway creates it with a quoted, lower-case name. */
    static String historyTable(DataSource dataSource, String prefix) throws SQLException {
        return quoted(dataSource, prefix + SchemaMigrator.HISTORY_TABLE);
    }

    /**
     * A name quoted as the database quotes identifiers: {@code "name"} in standard SQL, {@code `name`}
     * on MariaDB.
     */
    static String quoted(DataSource dataSource, String name) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            String quote = c.getMetaData().getIdentifierQuoteString();
            return quote + name + quote;
        }
    }

    static boolean historyTableExists(DataSource dataSource, String prefix) {
        try {
            return tableExists(dataSource, historyTable(dataSource, prefix));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's identifier quote", e);
        }
    }

    /** The versions recorded as applied successfully, in the order applied (a baseline included). */
    static List<String> appliedVersions(DataSource dataSource, String prefix) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(("SELECT \"version\" FROM " + historyTable(dataSource, prefix)
                        + " WHERE \"success\" = TRUE AND \"version\" IS NOT NULL ORDER BY \"installed_rank\"")
                        .replace("\"", c.getMetaData().getIdentifierQuoteString()))) {
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
        }
        return versions;
    }

    /** Runs one statement. */
    static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}

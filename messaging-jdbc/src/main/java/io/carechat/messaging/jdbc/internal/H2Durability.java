package io.carechat.messaging.jdbc.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds H2 file databases that let commits return before they are written ({@code WRITE_DELAY}
 * not 0), where a crash would lose acknowledged messages, and warns once per database file and
 * process. Not API. Thread-safe and stateless but for the set of files already warned about.
 */
public final class H2Durability {
    private static final Logger LOG = LoggerFactory.getLogger(H2Durability.class);
    /** The H2 database files already warned about, so each is named once per process. */
    private static final Set<String> WARNED_LAZY = ConcurrentHashMap.newKeySet();

    private H2Durability() {}

    /**
     * Warns when the connection is to an H2 file database with lazy commits. Best effort: a
     * database that cannot answer now is not reported.
     *
     * @param connection an open connection to the storage's database
     */
    public static void warnIfCommitsAreLazy(Connection connection) {
        try {
            Optional<String> file = lazyH2File(connection);
            if (file.isPresent() && WARNED_LAZY.add(file.get())) {
                LOG.warn("H2 database {} returns commits before writing them (WRITE_DELAY is not 0): a crash"
                        + " loses acknowledged messages. Add ;WRITE_DELAY=0 to its URL"
                        + " (messaging-jdbc README, Durability)", file.get());
            }
        } catch (SQLException | RuntimeException e) {
            // not an H2 that answers the query now: nothing to warn about here
        }
    }

    /**
     * Finds out whether a connection is to an H2 file database whose {@code WRITE_DELAY} is not
     * 0. H2 lists the setting twice once it was ever set (the value kept in the file and the one in
     * force); any value but 0 counts.
     *
     * @param connection an open connection
     * @return the database's path for an H2 file database with lazy commits; empty otherwise, also
     *     in memory
     * @throws SQLException if the database cannot answer
     */
    public static Optional<String> lazyH2File(Connection connection) throws SQLException {
        if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
            return Optional.empty();
        }
        try (Statement statement = connection.createStatement();
                ResultSet settings = statement.executeQuery("SELECT DATABASE_PATH(), SETTING_VALUE"
                        + " FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            while (settings.next()) {
                String path = settings.getString(1);
                if (path != null && !"0".equals(settings.getString(2).trim())) {
                    return Optional.of(path);
                }
            }
        }
        return Optional.empty();
    }
}

package io.carechat.messaging.jdbc.internal;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.error.ConfigurationException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.exception.FlywayValidateException;

/**
 * Runs CareChat's Flyway migrations under its own history table, {@code <prefix>carechat_schema_history},
 * with the table prefix passed as the {@code ${prefix}} placeholder. Not API. Thread-safe.
 *
 * <p>A schema that already holds other tables gets a baseline at version 0, so CareChat's tables
 * can live beside a hospital's own. A database migrated by a newer CareChat (an applied version
 * this code does not know) is refused: Flyway's default of ignoring such future migrations is
 * turned off.
 */
public final class SchemaMigrator {
    /** Where the migrations of H2 and PostgreSQL are, on the class path; MariaDB has its own. */
    public static final String LOCATION = "classpath:io/carechat/messaging/jdbc/migration";

    /** The history table's name after the prefix. */
    public static final String HISTORY_TABLE = "carechat_schema_history";

    private SchemaMigrator() {}

    /**
     * The Flyway configuration CareChat migrates with, from the migrations of the database's
     * {@link Dialect} ({@link Dialect#migrationLocations()}).
     *
     * @param dataSource the database
     * @param prefix the table prefix, possibly empty
     * @return the configuration, to load or to adjust (tests set a target version)
     * @throws ConfigurationException if CareChat does not support the database
     * @throws io.carechat.messaging.error.UnavailableException if the database cannot be reached
     */
    public static FluentConfiguration configuration(DataSource dataSource, String prefix) {
        requireNonNull(dataSource, "dataSource");
        requireNonNull(prefix, "prefix");
        return Flyway.configure(SchemaMigrator.class.getClassLoader())
                .dataSource(dataSource)
                .locations(locations(dataSource))
                .table(prefix + HISTORY_TABLE)
                .placeholders(Map.of("prefix", prefix))
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("existing schema before CareChat")
                .ignoreMigrationPatterns(new String[0])
                .validateOnMigrate(true)
                .cleanDisabled(true);
    }

    private static String[] locations(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return Dialect.of(connection).migrationLocations().toArray(String[]::new);
        } catch (SQLException e) {
            throw StorageFailures.unavailable(e);
        }
    }

    /** How often a node retries after losing the race to create the schema history. */
    private static final int RACE_ATTEMPTS = 50;
    private static final long RACE_PAUSE_MILLIS = 200;

    /**
     * Brings the schema to the newest version; does nothing when it is there already.
     *
     * @param dataSource the database
     * @param prefix the table prefix, possibly empty
     * @return how many migrations ran
     * @throws ConfigurationException if the database holds a newer schema than this code, or the
     *     applied migrations do not match this code's
     * @throws io.carechat.messaging.error.UnavailableException if the database cannot be reached
     */
    public static int migrate(DataSource dataSource, String prefix) {
        Flyway flyway = configuration(dataSource, prefix).load();
        try {
            refuseNewerSchema(flyway);
            for (int attempt = 1; ; attempt++) {
                try {
                    return flyway.migrate().migrationsExecuted;
                } catch (FlywayException e) {
                    // Another node created the history table a moment ago and is migrating: this
                    // node saw a non-empty schema and tried to baseline it. Wait for that node.
                    if (attempt >= RACE_ATTEMPTS || e.getMessage() == null
                            || !e.getMessage().contains("Unable to baseline schema history table")) {
                        throw e;
                    }
                    pause();
                }
            }
        } catch (FlywayValidateException e) {
            throw new ConfigurationException("JdbcStorage", List.of(
                    "the database schema does not match this CareChat version: " + e.getMessage()));
        } catch (FlywayException e) {
            if (hasSqlCause(e)) {
                throw StorageFailures.unavailable(e);
            }
            throw new ConfigurationException("JdbcStorage", List.of("schema migration failed: " + e.getMessage()));
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RACE_PAUSE_MILLIS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new FlywayException("interrupted while waiting for another node's migration");
        }
    }

    /**
     * Checks, without changing anything, that the schema is at the version this code needs.
     *
     * @param dataSource the database
     * @param prefix the table prefix, possibly empty
     * @throws ConfigurationException if migrations are pending or the schema is newer
     * @throws io.carechat.messaging.error.UnavailableException if the database cannot be reached
     */
    public static void requireCurrent(DataSource dataSource, String prefix) {
        Flyway flyway = configuration(dataSource, prefix).load();
        try {
            refuseNewerSchema(flyway);
            int pending = flyway.info().pending().length;
            if (pending > 0) {
                throw new ConfigurationException("JdbcStorage", List.of("the database schema lacks " + pending
                        + " migration(s); run JdbcStorage.migrate() or build with migrateOnBuild(true)"));
            }
        } catch (FlywayException e) {
            if (hasSqlCause(e)) {
                throw StorageFailures.unavailable(e);
            }
            throw new ConfigurationException("JdbcStorage", List.of("cannot read the schema history: " + e.getMessage()));
        }
    }

    private static void refuseNewerSchema(Flyway flyway) {
        List<String> newer = new ArrayList<>();
        for (MigrationInfo applied : flyway.info().applied()) {
            if (applied.getState() == MigrationState.FUTURE_SUCCESS
                    || applied.getState() == MigrationState.FUTURE_FAILED) {
                newer.add(applied.getVersion().getVersion());
            }
        }
        if (!newer.isEmpty()) {
            throw new ConfigurationException("JdbcStorage", List.of("the database schema is at version "
                    + String.join(", ", newer) + ", newer than this CareChat knows; upgrade CareChat"
                    + " (or point it at another schema or table prefix)"));
        }
    }

    private static boolean hasSqlCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                return true;
            }
        }
        return false;
    }
}

package io.carechat.messaging.jdbc;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The databases every JDBC test of {@link EachDatabase} runs on, one entry per database: adding a
 * database to the tests is one more entry here (with its {@link TestDatabase}), not a subclass per
 * test. Each entry opens a fresh, empty database for one test and names the table prefix the tests
 * build storage with there, so that one database exercises prefixed names. Stateless and
 * thread-safe.
 */
enum DatabaseUnderTest {
    /** Embedded H2: in memory, or in a file for the tests that stop it or read its files. Always there. */
    H2("H2", "") {
        @Override
        TestDatabase open() {
            return H2TestDatabase.inMemory();
        }

        @Override
        TestDatabase openOnDisk(Path directory) {
            return H2TestDatabase.inFile(directory);
        }

        @Override
        Optional<String> skipReason() {
            return Optional.empty();
        }
    },

    /**
     * A fresh schema and role on the server named by {@code CARECHAT_TEST_POSTGRES_URL}; skipped
     * when it is unset, and failing instead when {@code CARECHAT_REQUIRE_POSTGRES=1}.
     */
    POSTGRESQL("PostgreSQL", "cc_") {
        @Override
        TestDatabase open() {
            return PostgresTestDatabase.create();
        }

        @Override
        TestDatabase openOnDisk(Path directory) {
            return PostgresTestDatabase.create();
        }

        @Override
        Optional<String> skipReason() {
            return PostgresTestDatabase.skipReason();
        }
    },

    /**
     * A fresh database and user on the server named by {@code CARECHAT_TEST_MARIADB_URL} (default
     * {@code jdbc:mariadb://127.0.0.1:3306/test?user=root}); skipped when it does not answer, and
     * failing instead when {@code CARECHAT_REQUIRE_MARIADB=1}.
     */
    MARIADB("MariaDB", "cc_") {
        @Override
        TestDatabase open() {
            return MariaDbTestDatabase.create();
        }

        @Override
        TestDatabase openOnDisk(Path directory) {
            return MariaDbTestDatabase.create();
        }

        @Override
        Optional<String> skipReason() {
            return MariaDbTestDatabase.skipReason();
        }
    };

    private final String displayName;
    private final String tablePrefix;

    DatabaseUnderTest(String displayName, String tablePrefix) {
        this.displayName = displayName;
        this.tablePrefix = tablePrefix;
    }

    /**
     * A fresh, empty database for one test; the test closes it.
     *
     * @return the database
     */
    abstract TestDatabase open();

    /**
     * A fresh, empty database that keeps its data on disk, so {@link TestDatabase#stop()} really
     * takes it away and its files can be read; an embedded database puts them under
     * {@code directory}, a server keeps its own.
     *
     * @param directory a directory of the test's own
     * @return the database
     */
    abstract TestDatabase openOnDisk(Path directory);

    /**
     * Why this database's tests are skipped here, or empty when they run.
     *
     * @return the reason shown for the skipped tests
     */
    abstract Optional<String> skipReason();

    /**
     * The database's name, as test display names show it.
     *
     * @return the name
     */
    String displayName() {
        return displayName;
    }

    /**
     * The table prefix the tests build storage with on this database.
     *
     * @return the prefix, possibly empty
     */
    String tablePrefix() {
        return tablePrefix;
    }
}

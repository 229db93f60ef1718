package io.carechat.messaging.jdbc;

/**
 * A fresh database of one {@link DatabaseUnderTest} with {@link JdbcStorage} built on it, with
 * that database's table prefix, for one test: what the kit's runs on each database start from.
 * Closing closes the storage, then the database. Not thread-safe to open and close; the storage
 * is.
 */
final class StorageOnDatabase implements AutoCloseable {
    private final TestDatabase database;
    private final JdbcStorage storage;

    private StorageOnDatabase(TestDatabase database, JdbcStorage storage) {
        this.database = database;
        this.storage = storage;
    }

    /**
     * Opens a fresh database and builds storage on it, migrating the schema.
     *
     * @param kind the database to open
     * @return the storage on its database
     */
    static StorageOnDatabase open(DatabaseUnderTest kind) {
        TestDatabase database = kind.open();
        try {
            return new StorageOnDatabase(database,
                    JdbcStorage.builder(database.dataSource()).tablePrefix(kind.tablePrefix()).build());
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** The storage. */
    JdbcStorage storage() {
        return storage;
    }

    /** The database under the storage. */
    TestDatabase database() {
        return database;
    }

    @Override
    public void close() {
        storage.close();
        database.close();
    }
}

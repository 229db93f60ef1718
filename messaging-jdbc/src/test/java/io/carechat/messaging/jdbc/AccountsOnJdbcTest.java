package io.carechat.messaging.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.Messaging;
import io.carechat.messaging.auth.Accounts;
import io.carechat.messaging.auth.ClientContext;
import io.carechat.messaging.auth.DirectoryUser;
import io.carechat.messaging.auth.PasswordHasher;
import io.carechat.messaging.auth.Registration;
import io.carechat.messaging.auth.SessionTokens;
import io.carechat.messaging.auth.TokenSettings;
import io.carechat.messaging.auth.UserDirectory;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.UnauthenticatedException;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * CareChat's accounts on {@link JdbcStorage} through the facade, with no refresh token store of
 * their own: the storage's table keeps the tokens, as hashes, across rotation and reuse.
 */
@EachDatabase
@DisplayName("Accounts on JdbcStorage")
class AccountsOnJdbcTest {
    private static final ClientContext CLIENT = ClientContext.fromAddress("192.0.2.10");
    private static final String PASSWORD = "a long enough passphrase";

    private TestDatabase database;
    private JdbcStorage storage;
    private InMemoryEventBus bus;
    private Messaging messaging;

    private final DatabaseUnderTest databaseUnderTest;

    AccountsOnJdbcTest(DatabaseUnderTest databaseUnderTest) {
        this.databaseUnderTest = databaseUnderTest;
    }

    /** A fresh, empty database. */
    private TestDatabase openDatabase() {
        return databaseUnderTest.open();
    }

    /** The table prefix to build the storage with. */
    private String tablePrefix() {
        return databaseUnderTest.tablePrefix();
    }

    @BeforeEach
    void build() {
        database = openDatabase();
        storage = JdbcStorage.builder(database.dataSource()).tablePrefix(tablePrefix()).build();
        bus = new InMemoryEventBus();
        messaging = Messaging.builder().storage(storage).eventBus(bus).auditSink(storage.auditTrail()).keyProvider(StaticKeyProvider.generate("k1"))
                .passwordHasher(PasswordHasher.argon2id(64, 1, 1))
                .tokens(TokenSettings.builder().issuer("https://carechat.test").audience("carechat")
                        .hmacSecret("key-1", "a signing secret of thirty-two bytes or more".getBytes(StandardCharsets.UTF_8))
                        .build())
                .build();
    }

    @AfterEach
    void close() {
        if (messaging != null) {
            messaging.close();
            bus.close();
        }
        if (storage != null) {
            storage.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    @DisplayName("a refresh token rotates in the database, its reuse revokes the family, and only hashes are stored")
    void refreshRotationAndReuse() throws SQLException {
        Accounts accounts = messaging.accounts();
        accounts.register(new Registration("sam", "sam@example.org", PASSWORD, "Sam"), CLIENT);
        SessionTokens first = accounts.login("sam", PASSWORD, CLIENT);
        SessionTokens second = accounts.refresh(first.refreshToken(), CLIENT);

        assertThatThrownBy(() -> accounts.refresh(first.refreshToken(), CLIENT))
                .isInstanceOf(UnauthenticatedException.class);
        assertThatThrownBy(() -> accounts.refresh(second.refreshToken(), CLIENT))
                .isInstanceOf(UnauthenticatedException.class);

        List<String> hashes = new ArrayList<>();
        List<String> flags = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT token_hash, used, revoked FROM " + tablePrefix() + "refresh_tokens")) {
            while (rs.next()) {
                hashes.add(rs.getString(1));
                flags.add((rs.getBoolean(2) ? "used" : "unused") + "," + (rs.getBoolean(3) ? "revoked" : "live"));
            }
        }
        assertThat(flags).containsExactlyInAnyOrder("used,revoked", "unused,revoked");
        assertThat(hashes).doesNotContain(first.refreshToken(), second.refreshToken()).allMatch(h -> h.length() == 64);
    }

    @Test
    @DisplayName("a directory sync creates, renames, refuses a taken login and deactivates users in the database")
    void directorySync() {
        UserDirectory directory = messaging.accounts().directory();
        UserId ada = UserId.of("auth0|5f7c8ec7c33c6c004bbafe82");
        UserId bob = UserId.of("okta|00u2bob");
        directory.upsert("hr-sync", new DirectoryUser(ada, "ada", "ada@hospital.example", "Dr Ada", Set.of(Role.DOCTOR)));
        directory.upsert("hr-sync", new DirectoryUser(bob, "bob", "bob@mail.example", "Bob", Set.of(Role.PATIENT)));

        User renamed = directory.upsert("hr-sync", new DirectoryUser(ada, "Ada.L", "ada.l@hospital.example",
                "Dr Ada Lovelace", Set.of(Role.DOCTOR)));
        assertThat(storage.users().find(ada)).contains(renamed);
        assertThat(storage.users().findCredentials("ada.l").orElseThrow().user().id()).isEqualTo(ada);
        assertThat(storage.users().findCredentials("ada")).isEmpty();

        assertThatThrownBy(() -> directory.upsert("hr-sync", new DirectoryUser(bob, "ADA.L", "bob@mail.example", "Bob",
                        Set.of(Role.PATIENT))))
                .isInstanceOf(ConflictException.class);
        assertThat(storage.users().find(bob).orElseThrow().username()).isEqualTo("bob");

        assertThat(directory.deactivate("hr-sync", bob).enabled()).isFalse();
        assertThat(storage.users().find(bob).orElseThrow().enabled()).isFalse();
        assertThat(storage.users().tokensValidAfter(bob)).as("the user's tokens are refused from now").isPresent();
    }
}

package io.carechat.messaging.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.RoleRequest;
import io.carechat.messaging.model.RoleRequestId;
import io.carechat.messaging.model.RoleRequestStatus;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The schema's constraints, as the stores report them to callers, for each database. */
@EachDatabase
@DisplayName("Schema constraints")
class SchemaConstraintsTest {

    private final DatabaseUnderTest databaseUnderTest;

    SchemaConstraintsTest(DatabaseUnderTest databaseUnderTest) {
        this.databaseUnderTest = databaseUnderTest;
    }

    /** A fresh, empty database. */
    private TestDatabase openDatabase() {
        return databaseUnderTest.open();
    }

    @Test
    @DisplayName("a conversation or role request naming a user who does not exist is not found and stores nothing")
    void unknownUsersAreNotFound() {
        try (TestDatabase database = openDatabase(); JdbcStorage storage = JdbcStorage.builder(database.dataSource()).build()) {
            UserId known = Fixtures.user(storage, Role.DOCTOR);
            UserId unknown = UserId.random();

            assertThatThrownBy(() -> storage.conversations().openDirect(ConversationId.random(), known, unknown, Fixtures.T0))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> storage.conversations().createGroup(ConversationId.random(), List.of(known, unknown), Fixtures.T0))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> storage.roleRequests().create(new RoleRequest(RoleRequestId.random(), unknown,
                            Role.DOCTOR, "note", RoleRequestStatus.PENDING, Fixtures.T0, null, null)))
                    .isInstanceOf(NotFoundException.class);

            assertThat(storage.conversations().listFor(known, 10)).isEmpty();
            assertThat(storage.roleRequests().pending(10)).isEmpty();
        }
    }

    @Test
    @DisplayName("a value longer than its column is a bad request, not a storage outage, and stores nothing")
    void tooLongValueIsABadRequest() {
        try (TestDatabase database = openDatabase(); JdbcStorage storage = JdbcStorage.builder(database.dataSource()).build()) {
            User longName = new User(UserId.random(), "u".repeat(300), "long@example.org", "Long",
                    Set.of(Role.PATIENT), true, Fixtures.T0);

            assertThatThrownBy(() -> storage.users().create(longName, "hash")).isInstanceOf(BadRequestException.class);
            assertThat(storage.users().count()).isZero();
        }
    }
}

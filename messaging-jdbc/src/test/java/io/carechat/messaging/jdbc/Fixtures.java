package io.carechat.messaging.jdbc;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.spi.NewMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Test data made through the storage SPIs. Stateless and thread-safe. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-01-05T08:00:00Z");

    private Fixtures() {}

    /** Stores a new enabled user with a unique name and the given role. */
    static UserId user(MessagingStorage storage, Role role) {
        String name = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return storage.users().create(new User(UserId.random(), name, name + "@example.org", name,
                Set.of(role), true, T0), "hash").id();
    }

    /** Stores {@code count} new patients. */
    static List<UserId> patients(MessagingStorage storage, int count) {
        List<UserId> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(user(storage, Role.PATIENT));
        }
        return ids;
    }

    /** A message with a fresh id whose body is made from the key. */
    static NewMessage message(ConversationId conversation, UserId sender, String clientMsgId) {
        return new NewMessage(MessageId.random(), conversation, sender, clientMsgId, "body of " + clientMsgId,
                Priority.NORMAL, List.of(), T0);
    }
}

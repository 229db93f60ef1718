package io.carechat.messaging.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The ids of new messages: well-formed, unique, and ordered by the millisecond they were made in. */
@DisplayName("MessageId.timeOrdered")
class MessageIdTest {

    @Test
    @DisplayName("is a well-formed version 7 UUID whose time is the moment it was made")
    void isAVersion7UuidOfNow() {
        long before = System.currentTimeMillis();
        MessageId id = MessageId.timeOrdered();
        long after = System.currentTimeMillis();

        UUID uuid = UUID.fromString(id.value());
        assertThat(Ids.isWellFormed(id.value())).isTrue();
        assertThat(uuid.toString()).isEqualTo(id.value());
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(uuid.getMostSignificantBits() >>> 16).isBetween(before, after);
    }

    @Test
    @DisplayName("sorts, as text, after every id made in an earlier millisecond")
    void sortsByMillisecond() {
        MessageId first = MessageId.timeOrdered();
        MessageId later = first;
        while (millis(later) == millis(first)) {
            later = MessageId.timeOrdered();
        }

        assertThat(millis(later)).isGreaterThan(millis(first));
        assertThat(later.value()).isGreaterThan(first.value());
    }

    @Test
    @DisplayName("does not repeat")
    void isUnique() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(MessageId.timeOrdered().value())).isTrue();
        }
    }

    private static long millis(MessageId id) {
        return UUID.fromString(id.value()).getMostSignificantBits() >>> 16;
    }
}

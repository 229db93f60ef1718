package io.carechat.messaging.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("AuditChain")
class AuditChainTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static List<AuditRecord> chainOfFive() {
        List<AuditRecord> records = new ArrayList<>();
        String previous = AuditChain.GENESIS;
        for (int i = 1; i <= 5; i++) {
            AuditEvent event = AuditEvent.builder(T0.plusSeconds(i), "message.read", AuditEvent.Outcome.SUCCESS)
                    .object("conversation", "c-" + i).build();
            String hash = AuditChain.hash(previous, i, event);
            records.add(new AuditRecord(i, event, previous, hash));
            previous = hash;
        }
        return records;
    }

    @Test
    @DisplayName("the hash covers every field: changing any one changes it")
    void everyFieldCounts() {
        AuditEvent base = AuditEvent.builder(T0, "message.read", AuditEvent.Outcome.SUCCESS)
                .object("conversation", "c-1").client("192.0.2.1", "web", "r-1").build();
        String hash = AuditChain.hash(AuditChain.GENESIS, 1, base);
        assertThat(AuditChain.hash(AuditChain.GENESIS, 2, base)).isNotEqualTo(hash);
        assertThat(AuditChain.hash(AuditChain.GENESIS, 1, AuditEvent.builder(T0, "message.read",
                AuditEvent.Outcome.FAILURE).object("conversation", "c-1").client("192.0.2.1", "web", "r-1").build()))
                .isNotEqualTo(hash);
        assertThat(AuditChain.hash(AuditChain.GENESIS, 1, AuditEvent.builder(T0, "message.read",
                AuditEvent.Outcome.SUCCESS).object("conversation", "c-1").client("192.0.2.1", "web", "r-2").build()))
                .isNotEqualTo(hash);
        assertThat(AuditChain.hash("1".repeat(64), 1, base)).isNotEqualTo(hash);
    }

    @Test
    @DisplayName("a field's content cannot be shifted into its neighbour without changing the hash")
    void fieldsAreDelimited() {
        AuditEvent a = AuditEvent.builder(T0, "x.y", AuditEvent.Outcome.SUCCESS).client("ab", "c", null).build();
        AuditEvent b = AuditEvent.builder(T0, "x.y", AuditEvent.Outcome.SUCCESS).client("a", "bc", null).build();
        assertThat(AuditChain.hash(AuditChain.GENESIS, 1, a)).isNotEqualTo(AuditChain.hash(AuditChain.GENESIS, 1, b));
    }

    @Test
    @DisplayName("an intact chain verifies; a removed, swapped or edited record is located")
    void locatesBreaks() {
        List<AuditRecord> chain = chainOfFive();
        String head = chain.get(4).hash();
        assertThat(AuditChain.verify(chain, 5, head)).isEqualTo(ChainVerification.intact(5));

        List<AuditRecord> removed = new ArrayList<>(chain);
        removed.remove(2);
        assertThat(AuditChain.verify(removed, 5, head)).isEqualTo(ChainVerification.brokenAt(2, 3, "missing"));

        List<AuditRecord> edited = new ArrayList<>(chain);
        AuditRecord third = chain.get(2);
        edited.set(2, new AuditRecord(3, AuditEvent.builder(third.event().time(), "message.send",
                AuditEvent.Outcome.SUCCESS).build(), third.previousHash(), third.hash()));
        assertThat(AuditChain.verify(edited, 5, head)).isEqualTo(ChainVerification.brokenAt(2, 3, "hash_mismatch"));

        assertThat(AuditChain.verify(chain.subList(0, 4), 5, head))
                .isEqualTo(ChainVerification.brokenAt(4, 5, "truncated"));
    }
}

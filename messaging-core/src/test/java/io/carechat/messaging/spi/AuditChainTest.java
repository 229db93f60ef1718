package io.carechat.messaging.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.spi.ChainVerification.Segment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
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
    @DisplayName("a count of 1 hashes as events did before counts existed; a larger count is covered by the hash")
    void countIsHashedOnlyAboveOne() {
        AuditEvent single = AuditEvent.builder(T0, "token.rejected", AuditEvent.Outcome.FAILURE)
                .client("192.0.2.1", null, null).reason("expired").build();
        AuditEvent sameAsBefore = new AuditEvent(T0, "token.rejected", AuditEvent.Outcome.FAILURE, null,
                Set.of(), "192.0.2.1", null, null, null, null, null, "expired", 1);
        assertThat(AuditChain.hash(AuditChain.GENESIS, 1, sameAsBefore))
                .isEqualTo(AuditChain.hash(AuditChain.GENESIS, 1, single));
        String many = AuditChain.hash(AuditChain.GENESIS, 1, single.aggregated(49));
        assertThat(many).isNotEqualTo(AuditChain.hash(AuditChain.GENESIS, 1, single));
        assertThat(many).isNotEqualTo(AuditChain.hash(AuditChain.GENESIS, 1, single.aggregated(48)));
        SecretKey key = new SecretKeySpec(new byte[32], "HmacSHA256");
        assertThat(AuditChain.hash(key, "k1", AuditChain.GENESIS, 1, single.aggregated(49)))
                .isNotEqualTo(AuditChain.hash(key, "k1", AuditChain.GENESIS, 1, single.aggregated(50)));
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
        assertThat(AuditChain.verify(chain, 5, head, null))
                .isEqualTo(ChainVerification.intact(5, List.of(new Segment(null, 1, 5))));

        List<AuditRecord> removed = new ArrayList<>(chain);
        removed.remove(2);
        assertThat(AuditChain.verify(removed, 5, head, null))
                .isEqualTo(ChainVerification.brokenAt(2, 3, "missing", List.of(new Segment(null, 1, 2))));

        List<AuditRecord> edited = new ArrayList<>(chain);
        AuditRecord third = chain.get(2);
        edited.set(2, new AuditRecord(3, AuditEvent.builder(third.event().time(), "message.send",
                AuditEvent.Outcome.SUCCESS).build(), third.previousHash(), third.hash()));
        assertThat(AuditChain.verify(edited, 5, head, null))
                .isEqualTo(ChainVerification.brokenAt(2, 3, "hash_mismatch", List.of(new Segment(null, 1, 3))));

        assertThat(AuditChain.verify(chain.subList(0, 4), 5, head, null))
                .isEqualTo(ChainVerification.brokenAt(4, 5, "truncated", List.of(new Segment(null, 1, 4))));
    }

    /** Extends a chain by keyed events under the provider's current key. */
    private static List<AuditRecord> extendKeyed(List<AuditRecord> chain, KeyProvider keys, int count) {
        List<AuditRecord> records = new ArrayList<>(chain);
        AuditChain.CurrentMacKey key = AuditChain.currentMacKey(keys);
        String previous = records.isEmpty() ? AuditChain.GENESIS : records.get(records.size() - 1).hash();
        for (int i = 0; i < count; i++) {
            long seq = records.size() + 1L;
            AuditEvent event = AuditEvent.builder(T0.plusSeconds(seq), "message.send", AuditEvent.Outcome.SUCCESS)
                    .object("conversation", "c-" + seq).build();
            String hash = key.hash(previous, seq, event);
            records.add(new AuditRecord(seq, event, previous, hash, key.keyId()));
            previous = hash;
        }
        return records;
    }

    @Test
    @DisplayName("a keyed hash depends on the key and on the key id, and is not the plain SHA-256")
    void keyedHash() {
        AuditEvent event = AuditEvent.builder(T0, "message.read", AuditEvent.Outcome.SUCCESS).build();
        KeyProvider keys = StaticKeyProvider.generate("k1");
        KeyProvider other = StaticKeyProvider.generate("k1");
        String keyed = AuditChain.currentMacKey(keys).hash(AuditChain.GENESIS, 1, event);
        assertThat(keyed).hasSize(64).isNotEqualTo(AuditChain.hash(AuditChain.GENESIS, 1, event))
                .isNotEqualTo(AuditChain.currentMacKey(other).hash(AuditChain.GENESIS, 1, event))
                .isNotEqualTo(AuditChain.hash(keys.macKey("k1").orElseThrow(), "k2", AuditChain.GENESIS, 1, event));
    }

    @Test
    @DisplayName("an unkeyed start, then segments per key, verify and are named by their key ids")
    void segmentsPerKey() {
        Map<String, byte[]> material = Map.of("k1", new byte[32], "k2", new byte[32]);
        material.get("k2")[0] = 1;
        KeyProvider first = StaticKeyProvider.of(Map.of("k1", material.get("k1")), "k1");
        KeyProvider rotated = StaticKeyProvider.of(material, "k2");
        List<AuditRecord> chain = extendKeyed(extendKeyed(chainOfFive(), first, 2), rotated, 3);
        String head = chain.get(chain.size() - 1).hash();
        assertThat(AuditChain.verify(chain, 10, head, rotated)).isEqualTo(ChainVerification.intact(10,
                List.of(new Segment(null, 1, 5), new Segment("k1", 6, 7), new Segment("k2", 8, 10))));
        assertThat(new Segment(null, 1, 5).label()).isEqualTo("unkeyed");
        assertThat(AuditChain.verify(chain, 10, head, first).reason()).isEqualTo("unknown_key");
    }

    @Test
    @DisplayName("a chain rebuilt without the key fails: plain SHA-256 over keyed events, or every key id dropped")
    void rebuiltWithoutKey() {
        KeyProvider keys = StaticKeyProvider.generate("k1");
        List<AuditRecord> chain = extendKeyed(chainOfFive(), keys, 3);
        List<AuditRecord> shaKeepingIds = new ArrayList<>();
        List<AuditRecord> shaWithoutIds = new ArrayList<>();
        String previous = AuditChain.GENESIS;
        for (AuditRecord r : chain) {
            String hash = AuditChain.hash(previous, r.sequence(), r.event());
            shaKeepingIds.add(new AuditRecord(r.sequence(), r.event(), previous, hash, r.keyId()));
            shaWithoutIds.add(new AuditRecord(r.sequence(), r.event(), previous, hash));
            previous = hash;
        }
        assertThat(AuditChain.verify(shaKeepingIds, 8, previous, keys)).satisfies(v -> {
            assertThat(v.reason()).isEqualTo("hash_mismatch");
            assertThat(v.firstBrokenAt()).isEqualTo(6L);
        });
        assertThat(AuditChain.verify(shaWithoutIds, 8, previous, keys)).satisfies(v -> {
            assertThat(v.reason()).isEqualTo("unkeyed_head");
            assertThat(v.firstBrokenAt()).isEqualTo(8L);
        });
        List<AuditRecord> unkeyedAfterKeyed = new ArrayList<>(chain.subList(0, 7));
        AuditRecord last = shaWithoutIds.get(7);
        String hash = AuditChain.hash(chain.get(6).hash(), 8, last.event());
        unkeyedAfterKeyed.add(new AuditRecord(8, last.event(), chain.get(6).hash(), hash));
        assertThat(AuditChain.verify(unkeyedAfterKeyed, 8, hash, keys).reason()).isEqualTo("unkeyed_after_keyed");
    }
}

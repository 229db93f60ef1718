package io.carechat.messaging.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AppendResult;
import io.carechat.messaging.tck.Concurrently;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Appends from 20 threads through two storages on one database (as two nodes would), into one
 * shared conversation and into many, every message sent twice at once (a client retrying), for
 * each database.
 */
@EachDatabase
@DisplayName("Concurrent appends")
class ConcurrentAppendTest {
    private static final int SENDERS = 10;
    private static final int KEYS_PER_SENDER = 12;

    private final DatabaseUnderTest databaseUnderTest;

    ConcurrentAppendTest(DatabaseUnderTest databaseUnderTest) {
        this.databaseUnderTest = databaseUnderTest;
    }

    /** A fresh, empty database. */
    private TestDatabase openDatabase() {
        return databaseUnderTest.open();
    }

    @Test
    @DisplayName("20 threads with retries of the same ids leave every conversation with seq 1..N, no gap, no duplicate")
    void seqIsGaplessAndKeysStoredOnceUnderConcurrentRetries() {
        try (TestDatabase database = openDatabase();
                JdbcStorage nodeA = JdbcStorage.builder(database.dataSource()).build();
                HikariDataSource nodeBPool = database.openPool(2);
                JdbcStorage nodeB = JdbcStorage.builder(nodeBPool).migrateOnBuild(false).build()) {
            List<JdbcStorage> nodes = List.of(nodeA, nodeB);
            UserId doctor = Fixtures.user(nodeA, Role.DOCTOR);
            List<UserId> patients = Fixtures.patients(nodeA, SENDERS);
            List<UserId> everyone = new ArrayList<>(patients);
            everyone.add(doctor);
            Conversation shared = nodeA.conversations().createGroup(ConversationId.random(), everyone, Fixtures.T0);
            List<Conversation> directs = new ArrayList<>();
            for (UserId patient : patients) {
                directs.add(nodeA.conversations().openDirect(ConversationId.random(), patient, doctor, Fixtures.T0));
            }

            // Thread t sends as patient t / 2 through node t % 2: the two threads of a patient send
            // the same keys to the same conversations at the same time.
            List<Map<String, AppendResult>> results = Concurrently.run(2 * SENDERS, t -> () -> {
                int sender = t / 2;
                Map<String, AppendResult> mine = new LinkedHashMap<>();
                for (int k = 0; k < KEYS_PER_SENDER; k++) {
                    Conversation target = k % 2 == 0 ? shared : directs.get(sender);
                    String key = "p" + sender + "-k" + k;
                    mine.put(key, nodes.get(t % 2).messages().append(
                            Fixtures.message(target.id(), patients.get(sender), key)));
                }
                return mine;
            });

            for (int sender = 0; sender < SENDERS; sender++) {
                Map<String, AppendResult> first = results.get(2 * sender);
                Map<String, AppendResult> second = results.get(2 * sender + 1);
                for (String key : first.keySet()) {
                    assertThat(first.get(key).message()).as(key).isEqualTo(second.get(key).message());
                    assertThat(first.get(key).created()).as(key).isNotEqualTo(second.get(key).created());
                }
            }
            int perConversationShare = KEYS_PER_SENDER / 2;
            assertGaplessAndUnique(nodeB, shared, SENDERS * perConversationShare);
            for (Conversation direct : directs) {
                assertGaplessAndUnique(nodeB, direct, perConversationShare);
            }
            assertThat(nodeB.conversations().member(shared.id(), doctor).orElseThrow().unread())
                    .isEqualTo(SENDERS * perConversationShare);
            assertThat(nodeB.conversations().member(shared.id(), patients.get(0)).orElseThrow().unread())
                    .isEqualTo((SENDERS - 1) * perConversationShare);
            assertThat(nodeB.receipts().unread(doctor).total())
                    .isEqualTo(2L * SENDERS * perConversationShare);
        }
    }

    @Test
    @DisplayName("one clientMsgId sent at once through two nodes into two conversations is stored once, and both get it")
    void keyRaceAcrossNodesAndConversationsStoresOnce() {
        try (TestDatabase database = openDatabase();
                JdbcStorage nodeA = JdbcStorage.builder(database.dataSource()).build();
                HikariDataSource nodeBPool = database.openPool(2);
                JdbcStorage nodeB = JdbcStorage.builder(nodeBPool).migrateOnBuild(false).build()) {
            List<JdbcStorage> nodes = List.of(nodeA, nodeB);
            UserId patient = Fixtures.user(nodeA, Role.PATIENT);
            List<Conversation> targets = List.of(
                    nodeA.conversations().openDirect(ConversationId.random(), patient, Fixtures.user(nodeA, Role.DOCTOR), Fixtures.T0),
                    nodeA.conversations().openDirect(ConversationId.random(), patient, Fixtures.user(nodeA, Role.DOCTOR), Fixtures.T0));
            for (int round = 0; round < 10; round++) {
                String key = "race-" + round;
                List<AppendResult> results = Concurrently.run(2, t -> () -> nodes.get(t).messages().append(
                        Fixtures.message(targets.get(t).id(), patient, key)));
                assertThat(results).as(key).filteredOn(AppendResult::created).hasSize(1);
                assertThat(results.get(0).message()).as(key).isEqualTo(results.get(1).message());
            }
            long stored = 0;
            for (Conversation target : targets) {
                stored += nodeB.messages().history(target.id(), null, 100).messages().size();
            }
            assertThat(stored).isEqualTo(10);
        }
    }

    private static void assertGaplessAndUnique(JdbcStorage storage, Conversation conversation, int expected) {
        List<Message> history = storage.messages().history(conversation.id(), null, 100).messages();
        assertThat(history).extracting(Message::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, expected).boxed().toList());
        Map<String, Message> byKey = new HashMap<>();
        for (Message m : history) {
            assertThat(byKey.put(m.senderId().value() + "/" + m.clientMsgId(), m)).as("duplicate key").isNull();
        }
        assertThat(storage.conversations().listFor(conversation.memberIds().get(0), 100))
                .filteredOn(s -> s.conversation().id().equals(conversation.id()))
                .singleElement().satisfies(s -> assertThat(s.lastSeq()).isEqualTo(expected));
    }
}

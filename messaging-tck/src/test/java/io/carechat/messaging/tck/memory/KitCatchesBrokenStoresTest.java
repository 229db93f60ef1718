package io.carechat.messaging.tck.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.AttachmentId;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.HistoryPage;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.UnreadCounts;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AppendResult;
import io.carechat.messaging.spi.ForwardingStorage;
import io.carechat.messaging.spi.MessageRecall;
import io.carechat.messaging.spi.MessageStore;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.spi.NewMessage;
import io.carechat.messaging.spi.ReceiptStore;
import io.carechat.messaging.spi.ReceiptUpdate;
import io.carechat.messaging.tck.MessagingStorageContract;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs the storage kit against stores that each break one rule, and checks that the kit's test
 * for that rule fails. The broken kits are nested classes, which Surefire does not run by itself.
 */
@DisplayName("The storage conformance kit catches stores that break a rule")
class KitCatchesBrokenStoresTest {

    @Test
    @DisplayName("a store that skips seq 2 fails the gapless-seq rule")
    void catchesSeqGap() {
        assertThat(failedTests(SeqGapKit.class)).contains(
                "seq is 1..N, gapless and in each sender's order under 20 concurrent senders in one conversation",
                "hasMore tells whether older messages exist, and paging by beforeSeq visits every message once");
    }

    @Test
    @DisplayName("a store that forgets clientMsgIds fails both idempotency rules")
    void catchesForgottenIdempotency() {
        assertThat(failedTests(ForgetfulIdempotencyKit.class)).contains(
                "a repeated clientMsgId returns the original unchanged and stores nothing, whatever the new body",
                "16 concurrent retries of one clientMsgId store one message, and all of them return it");
    }

    @Test
    @DisplayName("a store whose receipts fall back fails the never-backwards rules")
    void catchesFallingReceipts() {
        assertThat(failedTests(FallingReceiptsKit.class)).contains(
                "delivered rises, and a lower or equal receipt neither lowers it nor counts as advanced",
                "read rises, and a lower or equal receipt neither lowers it nor counts as advanced");
    }

    @Test
    @DisplayName("a store that counts a member's own messages as unread fails the unread rules")
    void catchesOwnMessagesCounted() {
        assertThat(failedTests(SelfCountingUnreadKit.class)).contains(
                "a member's own messages are never counted as unread for them",
                "totals sum every conversation and leave out those with nothing unread");
    }

    @Test
    @DisplayName("the correct in-memory store fails nothing when run the same way")
    void correctStoreFailsNothing() {
        assertThat(failedTests(CorrectKit.class)).isEmpty();
    }

    private static List<String> failedTests(Class<?> kit) {
        EngineExecutionResults results =
                EngineTestKit.engine("junit-jupiter").selectors(selectClass(kit)).execute();
        assertThat(results.testEvents().started().count()).as("tests run").isGreaterThan(50);
        return results.testEvents().failed().stream()
                .map(e -> e.getTestDescriptor().getDisplayName())
                .toList();
    }

    // ---- the kits, each on a store with one broken rule ----

    static class CorrectKit extends MessagingStorageContract {
        @Override
        protected MessagingStorage createStorage() {
            return new InMemoryStorage();
        }
    }

    static class SeqGapKit extends MessagingStorageContract {
        @Override
        protected MessagingStorage createStorage() {
            InMemoryStorage real = new InMemoryStorage();
            return new Storage(real, new SeqGapMessages(real.messages()), real.receipts());
        }
    }

    static class ForgetfulIdempotencyKit extends MessagingStorageContract {
        @Override
        protected MessagingStorage createStorage() {
            InMemoryStorage real = new InMemoryStorage();
            return new Storage(real, new ForgetfulMessages(real.messages()), real.receipts());
        }
    }

    static class FallingReceiptsKit extends MessagingStorageContract {
        @Override
        protected MessagingStorage createStorage() {
            InMemoryStorage real = new InMemoryStorage();
            return new Storage(real, real.messages(), new FallingReceipts(real.receipts()));
        }
    }

    static class SelfCountingUnreadKit extends MessagingStorageContract {
        @Override
        protected MessagingStorage createStorage() {
            InMemoryStorage real = new InMemoryStorage();
            Map<UserId, Map<ConversationId, Long>> own = new ConcurrentHashMap<>();
            return new Storage(real, new SelfCountingMessages(real.messages(), own),
                    new SelfCountingReceipts(real.receipts(), own));
        }
    }

    /** The real stores, with the message or receipt store swapped. */
    private static final class Storage extends ForwardingStorage {
        private final MessageStore messages;
        private final ReceiptStore receipts;

        Storage(MessagingStorage real, MessageStore messages, ReceiptStore receipts) {
            super(real);
            this.messages = messages;
            this.receipts = receipts;
        }

        @Override
        public MessageStore messages() {
            return messages;
        }

        @Override
        public ReceiptStore receipts() {
            return receipts;
        }
    }

    /** Numbers messages 1, 3, 4, 5, ...: a gap after the first, consistently in every view. */
    private record SeqGapMessages(MessageStore real) implements MessageStore {
        @Override
        public Optional<Message> recall(MessageRecall recall) {
            return real.recall(recall);
        }

        @Override
        public boolean carriedByRecalled(ConversationId conversationId, AttachmentId attachmentId) {
            return real.carriedByRecalled(conversationId, attachmentId);
        }

        private static long outward(long seq) {
            return seq == 1 ? 1 : seq + 1;
        }

        private static long inward(long seq) {
            return seq <= 2 ? Math.min(seq, 1) : seq - 1;
        }

        private static Message renumber(Message m) {
            return new Message(m.id(), m.conversationId(), outward(m.seq()), m.senderId(), m.body(),
                    m.priority(), m.sentAt(), m.clientMsgId(), m.attachments());
        }

        @Override
        public AppendResult append(NewMessage message) {
            AppendResult result = real.append(message);
            return new AppendResult(renumber(result.message()), result.created());
        }

        @Override
        public HistoryPage history(ConversationId id, @Nullable Long beforeSeq, int limit) {
            HistoryPage page = real.history(id, beforeSeq == null ? null : inward(beforeSeq), limit);
            return new HistoryPage(page.messages().stream().map(SeqGapMessages::renumber).toList(), page.hasMore());
        }

        @Override
        public List<Message> after(ConversationId id, long afterSeq, int limit) {
            return real.after(id, inward(afterSeq), limit).stream().map(SeqGapMessages::renumber).toList();
        }

        @Override
        public Optional<Message> find(ConversationId id, long seq) {
            return seq == 2 ? Optional.empty() : real.find(id, inward(seq)).map(SeqGapMessages::renumber);
        }
    }

    /** Stores every append as new, as if it never recorded the sender's key. */
    private record ForgetfulMessages(MessageStore real) implements MessageStore {
        @Override
        public Optional<Message> recall(MessageRecall recall) {
            return real.recall(recall);
        }

        @Override
        public boolean carriedByRecalled(ConversationId conversationId, AttachmentId attachmentId) {
            return real.carriedByRecalled(conversationId, attachmentId);
        }

        @Override
        public AppendResult append(NewMessage m) {
            return real.append(new NewMessage(m.id(), m.conversationId(), m.senderId(),
                    UUID.randomUUID().toString(), m.body(), m.priority(), m.attachments(), m.sentAt()));
        }

        @Override
        public HistoryPage history(ConversationId id, @Nullable Long beforeSeq, int limit) {
            return real.history(id, beforeSeq, limit);
        }

        @Override
        public List<Message> after(ConversationId id, long afterSeq, int limit) {
            return real.after(id, afterSeq, limit);
        }

        @Override
        public Optional<Message> find(ConversationId id, long seq) {
            return real.find(id, seq);
        }
    }

    /** Answers a lower receipt with the lower position, as a store that overwrites would. */
    private record FallingReceipts(ReceiptStore real) implements ReceiptStore {
        @Override
        public ReceiptUpdate markDelivered(ConversationId id, UserId userId, long seq) {
            MemberState m = real.markDelivered(id, userId, seq).member();
            long delivered = Math.min(seq, m.deliveredSeq());
            return new ReceiptUpdate(new MemberState(id, userId, delivered,
                    Math.min(m.readSeq(), delivered), m.unread()), true);
        }

        @Override
        public ReceiptUpdate markRead(ConversationId id, UserId userId, long seq) {
            MemberState m = real.markRead(id, userId, seq).member();
            long read = Math.min(seq, m.readSeq());
            return new ReceiptUpdate(new MemberState(id, userId, m.deliveredSeq(), read, m.unread()), true);
        }

        @Override
        public UnreadCounts unread(UserId userId) {
            return real.unread(userId);
        }
    }

    /** Counts the sender's own messages in the unread totals. */
    private record SelfCountingReceipts(ReceiptStore real, Map<UserId, Map<ConversationId, Long>> own)
            implements ReceiptStore {
        @Override
        public ReceiptUpdate markDelivered(ConversationId id, UserId userId, long seq) {
            return real.markDelivered(id, userId, seq);
        }

        @Override
        public ReceiptUpdate markRead(ConversationId id, UserId userId, long seq) {
            return real.markRead(id, userId, seq);
        }

        @Override
        public UnreadCounts unread(UserId userId) {
            Map<ConversationId, Long> counts = new HashMap<>(real.unread(userId).perConversation());
            own.getOrDefault(userId, Map.of()).forEach((c, n) -> counts.merge(c, n, Long::sum));
            return UnreadCounts.of(counts);
        }
    }

    /** Counts how many messages each sender sent, for {@link SelfCountingReceipts}. */
    private record SelfCountingMessages(MessageStore real, Map<UserId, Map<ConversationId, Long>> own)
            implements MessageStore {
        @Override
        public Optional<Message> recall(MessageRecall recall) {
            return real.recall(recall);
        }

        @Override
        public boolean carriedByRecalled(ConversationId conversationId, AttachmentId attachmentId) {
            return real.carriedByRecalled(conversationId, attachmentId);
        }

        @Override
        public AppendResult append(NewMessage message) {
            AppendResult result = real.append(message);
            if (result.created()) {
                own.computeIfAbsent(message.senderId(), s -> new ConcurrentHashMap<>())
                        .merge(message.conversationId(), 1L, Long::sum);
            }
            return result;
        }

        @Override
        public HistoryPage history(ConversationId id, @Nullable Long beforeSeq, int limit) {
            return real.history(id, beforeSeq, limit);
        }

        @Override
        public List<Message> after(ConversationId id, long afterSeq, int limit) {
            return real.after(id, afterSeq, limit);
        }

        @Override
        public Optional<Message> find(ConversationId id, long seq) {
            return real.find(id, seq);
        }
    }
}

package io.carechat.messaging.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AppendResult;
import io.carechat.messaging.spi.NewMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database stopped and started again while four senders keep sending, each retrying a message
 * until it is acknowledged, as clients do after {@code unavailable}. For each database.
 */
@EachDatabase
@DisplayName("Storage outage")
class StorageOutageTest {
    private static final int SENDERS = 4;
    private static final int KEYS_PER_SENDER = 30;
    private static final long DEADLINE_SECONDS = 120;

    @TempDir
    Path directory;

    private final DatabaseUnderTest databaseUnderTest;

    StorageOutageTest(DatabaseUnderTest databaseUnderTest) {
        this.databaseUnderTest = databaseUnderTest;
    }

    /** A fresh, empty database that {@link TestDatabase#stop()} really takes away. */
    private TestDatabase openDatabase(Path directory) {
        return databaseUnderTest.openOnDisk(directory);
    }

    @Test
    @DisplayName("a database that goes away under load gives unavailable, then the storage recovers by itself"
            + " with no acknowledged message lost, and no thread or connection left behind")
    void outageGivesUnavailableThenRecoversLosingNothing() throws Exception {
        List<Thread> writerThreads = new CopyOnWriteArrayList<>();
        ThreadFactory recordingFactory = runnable -> {
            Thread thread = new Thread(runnable, "outage-test-group-commit");
            thread.setDaemon(true);
            writerThreads.add(thread);
            return thread;
        };
        try (TestDatabase database = openDatabase(directory)) {
            JdbcStorage storage = JdbcStorage.builder(database.dataSource())
                    .queryTimeout(Duration.ofSeconds(2))
                    .appendTimeout(Duration.ofSeconds(5))
                    .threadFactory(recordingFactory)
                    .build();
            ExecutorService load = Executors.newFixedThreadPool(SENDERS);
            try {
                UserId doctor = Fixtures.user(storage, Role.DOCTOR);
                List<UserId> senders = Fixtures.patients(storage, SENDERS);
                List<UserId> members = new ArrayList<>(senders);
                members.add(doctor);
                Conversation group = storage.conversations().createGroup(ConversationId.random(), members, Fixtures.T0);

                Queue<AppendResult> acked = new ConcurrentLinkedQueue<>();
                AtomicInteger unavailableDuringLoad = new AtomicInteger();
                CountDownLatch someAcked = new CountDownLatch(20);
                List<Future<?>> senderTasks = new ArrayList<>();
                for (UserId sender : senders) {
                    senderTasks.add(load.submit(() -> {
                        for (int k = 0; k < KEYS_PER_SENDER; k++) {
                            AppendResult result = sendUntilAcked(storage,
                                    Fixtures.message(group.id(), sender, "k" + k), unavailableDuringLoad);
                            acked.add(result);
                            someAcked.countDown();
                        }
                        return null;
                    }));
                }
                assertThat(someAcked.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();

                database.stop();
                NewMessage probe = Fixtures.message(group.id(), doctor, "probe");
                assertThatThrownBy(() -> storage.messages().append(probe)).isInstanceOf(UnavailableException.class);
                assertThatThrownBy(() -> storage.conversations().find(group.id()))
                        .isInstanceOf(UnavailableException.class);
                database.restart();

                for (Future<?> task : senderTasks) {
                    task.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
                }
                acked.add(sendUntilAcked(storage, probe, unavailableDuringLoad));

                int total = SENDERS * KEYS_PER_SENDER + 1;
                assertThat(acked).hasSize(total);
                for (AppendResult result : acked) {
                    Message message = result.message();
                    assertThat(storage.messages().find(group.id(), message.seq())).as("acked %s", message)
                            .contains(message);
                }
                List<Message> all = storage.messages().after(group.id(), 0, total + 1);
                assertThat(all).extracting(Message::seq)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
                assertThat(all).extracting(m -> m.senderId() + "/" + m.clientMsgId()).doesNotHaveDuplicates();
            } finally {
                load.shutdownNow();
                storage.close();
            }
            assertThat(writerThreads).isNotEmpty().allSatisfy(t -> assertThat(t.isAlive()).isFalse());
            assertThat(database.activeConnections()).isZero();
        }
    }

    /** Sends until the storage acknowledges, retrying the same message on unavailable. */
    private static AppendResult sendUntilAcked(JdbcStorage storage, NewMessage message, AtomicInteger unavailable)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (true) {
            try {
                return storage.messages().append(message);
            } catch (UnavailableException e) {
                unavailable.incrementAndGet();
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}

package io.carechat.benchmarks;

import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.model.MessagingLimits;
import io.carechat.messaging.model.Rate;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.jdbc.JdbcStorage;
import io.carechat.messaging.memory.InMemoryEventBus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * How many messages per second {@link Messaging#send} stores through the JDBC adapter with
 * concurrent senders, against the ceiling of the same database: plain batched inserts of the same
 * rows into a table of the same shape, one transaction per batch, from one thread. CareChat does
 * more per message (a conversation lock, the sequence, idempotency, unread counters, encryption of
 * the body and a hash-chained audit record), so the ratio says how much of the database's batch
 * rate it keeps.
 *
 * <p>Stateless; each call opens and closes what it uses. Public for the end-to-end benchmark in
 * {@code io.carechat.benchmarks.e2e}, which reports the same ratio next to its socket runs.
 */
public final class SendThroughput {
    private SendThroughput() {}

    /**
     * The shape of one run.
     *
     * @param senders concurrent sending threads
     * @param messagesPerSender messages each thread sends
     * @param conversations conversations the threads share
     * @param bodyChars body length in characters; 0 for a short numbered text
     */
    public record Load(int senders, int messagesPerSender, int conversations, int bodyChars) {
        /**
         * Concurrent senders of the standard load: enough callers waiting on their commits to fill
         * a group commit of 64, as a server's request threads do under load.
         */
        public static final int SENDERS = 128;
        /** Conversations of the standard load, two senders each. */
        public static final int CONVERSATIONS = 64;

        /** A load with short numbered bodies. */
        public Load(int senders, int messagesPerSender, int conversations) {
            this(senders, messagesPerSender, conversations, 0);
        }

        /** @return how many messages the run sends */
        public long total() {
            return (long) senders * messagesPerSender;
        }

        /** @return the body of message {@code m}: numbered, padded to {@link #bodyChars()} */
        String body(long m) {
            String text = "benchmark message " + m;
            return text.length() >= bodyChars ? text : text + " " + "x".repeat(bodyChars - text.length() - 1);
        }
    }

    /** Sends {@code load} through CareChat with group commit of {@code maxBatch}. */
    public static Measurement carechat(String name, DataSource dataSource, Load load, int maxBatch, Duration maxWait)
            throws Exception {
        try (JdbcStorage storage = JdbcStorage.builder(dataSource).groupCommit(maxBatch, maxWait).build();
                InMemoryEventBus bus = new InMemoryEventBus();
                Messaging messaging = Messaging.builder().storage(storage).eventBus(bus)
                        .limits(MessagingLimits.builder().sendRate(Rate.MAX, Rate.MAX).build())
                        .auditSink(storage.auditTrail()).keyProvider(StaticKeyProvider.generate("bench")).build()) {
            List<Caller> patients = new ArrayList<>();
            List<Conversation> chats = new ArrayList<>();
            String run = UUID.randomUUID().toString().substring(0, 8);
            User doctor = user(storage, "bench-doctor-" + run, Role.DOCTOR);
            for (int i = 0; i < load.conversations(); i++) {
                User patient = user(storage, "bench-patient-" + run + "-" + i, Role.PATIENT);
                patients.add(Caller.of(patient));
                chats.add(messaging.openDirect(Caller.of(patient), doctor.id()));
            }
            ExecutorService threads = Executors.newFixedThreadPool(load.senders());
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int s = 0; s < load.senders(); s++) {
                    int sender = s;
                    done.add(threads.submit(() -> {
                        start.await();
                        int chat = sender % load.conversations();
                        for (int m = 0; m < load.messagesPerSender(); m++) {
                            messaging.send(patients.get(chat), SendRequest.text(chats.get(chat).id(),
                                    "s" + sender + "-m" + m, load.body(m)));
                        }
                        return null;
                    }));
                }
                long began = System.nanoTime();
                start.countDown();
                for (Future<?> f : done) {
                    f.get(10, TimeUnit.MINUTES);
                }
                return new Measurement(name, load.total(), Duration.ofNanos(System.nanoTime() - began));
            } finally {
                threads.shutdownNow();
            }
        }
    }

    /** The ceiling: {@code total} rows inserted in batches of {@code batch}, one transaction each. */
    static Measurement ceiling(Database db, long total, int batch) throws SQLException {
        return ceiling(db, new Load(1, (int) total, 1), batch);
    }

    /**
     * The ceiling for {@code load}: as many rows, with bodies of the same length, inserted from one
     * thread in batches of {@code batch}, one transaction each.
     */
    public static Measurement ceiling(Database db, Load load, int batch) throws SQLException {
        long total = load.total();
        try (Connection c = db.dataSource().getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE bench_ceiling (id VARCHAR(64) PRIMARY KEY, conversation_id VARCHAR(64) NOT NULL,"
                        + " seq BIGINT NOT NULL, sender_id VARCHAR(64) NOT NULL, client_msg_id VARCHAR(64) NOT NULL,"
                        + " body TEXT NOT NULL, priority VARCHAR(16) NOT NULL, sent_at " + db.timestampType + " NOT NULL,"
                        + " attachments TEXT NOT NULL, UNIQUE (conversation_id, seq), UNIQUE (sender_id, client_msg_id))");
            }
            c.setAutoCommit(false);
            String conversation = UUID.randomUUID().toString();
            long began = System.nanoTime();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO bench_ceiling VALUES (?,?,?,?,?,?,?,?,?)")) {
                for (long i = 1; i <= total; i++) {
                    insert.setString(1, UUID.randomUUID().toString());
                    insert.setString(2, conversation);
                    insert.setLong(3, i);
                    insert.setString(4, "sender");
                    insert.setString(5, "c" + i);
                    insert.setString(6, load.body(i));
                    insert.setString(7, "normal");
                    insert.setTimestamp(8, Timestamp.from(Instant.now()));
                    insert.setString(9, "[]");
                    insert.addBatch();
                    if (i % batch == 0 || i == total) {
                        insert.executeBatch();
                        c.commit();
                    }
                }
            }
            return new Measurement("ceiling: batched INSERT, " + batch + " rows per commit, 1 thread", total,
                    Duration.ofNanos(System.nanoTime() - began));
        }
    }

    private static User user(JdbcStorage storage, String name, Role role) {
        return storage.users().create(new User(UserId.random(), name, name + "@bench.invalid", name, Set.of(role),
                true, Instant.now()), "{benchmark-no-login}");
    }
}

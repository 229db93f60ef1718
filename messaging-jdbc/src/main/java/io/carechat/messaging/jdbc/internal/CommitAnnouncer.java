package io.carechat.messaging.jdbc.internal;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.bus.EventPayloads;
import io.carechat.messaging.event.MessageCommitted;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Announces a group-commit batch's new messages to the other nodes inside the batch's own
 * transaction, with {@code pg_notify}: PostgreSQL delivers a notification when (and as soon as)
 * its transaction commits, in commit order, and discards it when the transaction rolls back. So a
 * committed message is announced even if its node dies right after the commit, before its event
 * bus could send anything; and a rerun or rolled-back batch announces nothing twice. Not API.
 *
 * <p>It belongs to one {@code PostgresEventBus}, whose node id, channel and counter the payloads
 * carry ({@link EventPayloads}, exactly the payload the bus would send for the
 * {@link MessageCommitted} event, far below PostgreSQL's 8,000-byte limit per notification), and
 * is handed to the storage's {@link GroupCommitWriter} on the same database. The writer calls
 * {@link #announce} inside the transaction and {@link #committed} once the commit is known, before
 * it answers the callers; the bus then
 * {@linkplain #claim claims} each such message when its event is published, delivers it to its
 * own subscribers only, and does not send it again. Messages with attachments are not announced
 * here: their event is published only once the attachments are linked, after the commit, so the
 * bus sends it as before.
 *
 * <p>Thread-safe: {@link #announce} and {@link #committed} run on the writer thread,
 * {@link #claim} on publishing threads. The claims are bounded: a message never published (its
 * storage used without a facade) is forgotten once {@value #MAX_UNCLAIMED} later ones wait.
 * Lifecycle: lives as long as its bus; after {@link #close()} (when the bus closes) it announces
 * nothing more.
 */
public final class CommitAnnouncer {
    private static final String NOTIFY_ALL = "SELECT pg_notify(?, payload) FROM unnest(?::text[]) AS payload";
    private static final int MAX_UNCLAIMED = 10_000;

    private final String nodeId;
    private final String channel;
    private final AtomicLong counter;
    private final Map<MessageId, Boolean> unclaimed = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<MessageId, Boolean> eldest) {
            return size() > MAX_UNCLAIMED;
        }
    };
    private volatile boolean closed;

    /**
     * Creates the announcer of a bus.
     *
     * @param nodeId the bus's node id, so the bus ignores its own notifications
     * @param channel the bus's channel, already validated as an identifier
     * @param counter the bus's counter of notifications, shared with its other payloads
     */
    public CommitAnnouncer(String nodeId, String channel, AtomicLong counter) {
        this.nodeId = requireNonNull(nodeId, "nodeId");
        this.channel = requireNonNull(channel, "channel");
        this.counter = requireNonNull(counter, "counter");
    }

    /**
     * Notifies the other nodes of the batch's new messages without attachments, in the batch's
     * transaction, with one statement; nothing when there are none or the announcer is closed.
     *
     * @param c the writer's connection, inside the batch's uncommitted transaction
     * @param created the messages the batch created, in batch order
     * @return the messages announced, for {@link #committed} once the transaction committed
     * @throws SQLException if the statement fails; the caller rolls the transaction back
     */
    List<Message> announce(WriterConnection c, List<Message> created) throws SQLException {
        if (closed) {
            return List.of();
        }
        List<Message> announced = new ArrayList<>(created.size());
        List<String> payloads = new ArrayList<>(created.size());
        for (Message m : created) {
            if (m.attachments().isEmpty()) {
                announced.add(m);
                // The payload names the message by its ids; the members are read back by the
                // receiving node, so the event's member list does not enter it.
                payloads.add(requireNonNull(EventPayloads.encode(nodeId, counter.incrementAndGet(),
                        MessageCommitted.of(m.id(), m.conversationId(), m.seq(), List.of())), "payload"));
            }
        }
        if (payloads.isEmpty()) {
            return List.of();
        }
        PreparedStatement notify = c.prepare(NOTIFY_ALL);
        Array array = c.connection().createArrayOf("text", payloads.toArray());
        try {
            notify.setString(1, channel);
            notify.setArray(2, array);
            notify.execute();
        } finally {
            array.free();
        }
        return announced;
    }

    /**
     * Records that the transaction which announced these messages committed, so their events are
     * not sent again when published. Call before answering the batch's callers.
     *
     * @param announced what {@link #announce} returned for the committed transaction
     */
    void committed(List<Message> announced) {
        if (announced.isEmpty()) {
            return;
        }
        synchronized (unclaimed) {
            for (Message m : announced) {
                unclaimed.put(m.id(), Boolean.TRUE);
            }
        }
    }

    /**
     * Tells whether a message was already announced in its commit, and forgets it: its event is
     * then for this node's subscribers only.
     *
     * @param messageId the committed message's id
     * @return true once for a message announced in its transaction
     */
    public boolean claim(MessageId messageId) {
        synchronized (unclaimed) {
            return unclaimed.remove(messageId) != null;
        }
    }

    /** Stops announcing: the writer's later batches notify nothing. Idempotent. */
    public void close() {
        closed = true;
    }
}

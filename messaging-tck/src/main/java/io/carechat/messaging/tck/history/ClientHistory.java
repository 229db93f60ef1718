package io.carechat.messaging.tck.history;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.UserId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the clients of a test run saw, recorded as it happens: who is a member of which
 * conversation (and so must receive all of it), every {@code sent} acknowledgement, every message
 * received, every read position set and every unread count the server reported last.
 * {@link HistoryChecker} then holds it against what the server stored. Thread-safe: clients on
 * many threads record into one history.
 */
public final class ClientHistory {
    /** A {@code sent} answer: the message the server promised to keep. */
    record Ack(UserId senderId, ConversationId conversationId, String clientMsgId, MessageId id, long seq) {}

    /** A message that reached a user, in the order it reached them. */
    record Receipt(UserId userId, ConversationId conversationId, MessageId id, long seq) {}

    /** A (user, conversation) pair. */
    record Seat(UserId userId, ConversationId conversationId) {}

    private final Set<Seat> members = new HashSet<>();
    private final List<Ack> acks = new ArrayList<>();
    private final List<Receipt> receipts = new ArrayList<>();
    private final Map<Seat, Long> readUpTo = new HashMap<>();
    private final Map<Seat, Long> unreadReported = new HashMap<>();

    /**
     * Records that {@code user} belongs to {@code conversation} and was listening for the whole
     * run, so must have received every message others sent there.
     *
     * @param user the member
     * @param conversation the conversation
     */
    public synchronized void member(UserId user, ConversationId conversation) {
        members.add(new Seat(user, conversation));
    }

    /**
     * Records a {@code sent} acknowledgement.
     *
     * @param sender who sent
     * @param conversation where
     * @param clientMsgId the idempotency key sent
     * @param id the id the server answered
     * @param seq the seq the server answered
     */
    public synchronized void acknowledged(UserId sender, ConversationId conversation, String clientMsgId, MessageId id,
            long seq) {
        acks.add(new Ack(sender, conversation, clientMsgId, id, seq));
    }

    /**
     * Records a message reaching a user (live, in a backlog or a history page), duplicates included.
     *
     * @param user who received it
     * @param conversation its conversation
     * @param id its id
     * @param seq its seq
     */
    public synchronized void received(UserId user, ConversationId conversation, MessageId id, long seq) {
        receipts.add(new Receipt(user, conversation, id, seq));
    }

    /**
     * Records that a user marked a conversation read up to {@code seq}.
     *
     * @param user the reader
     * @param conversation the conversation
     * @param seq the read position set
     */
    public synchronized void read(UserId user, ConversationId conversation, long seq) {
        readUpTo.merge(new Seat(user, conversation), seq, Math::max);
    }

    /**
     * Records the unread count the server reported for a user's conversation at the end of the run.
     *
     * @param user the user
     * @param conversation the conversation
     * @param count the count reported
     */
    public synchronized void unreadReported(UserId user, ConversationId conversation, long count) {
        unreadReported.put(new Seat(user, conversation), count);
    }

    synchronized Set<Seat> members() {
        return Set.copyOf(members);
    }

    synchronized List<Ack> acks() {
        return List.copyOf(acks);
    }

    synchronized List<Receipt> receipts() {
        return List.copyOf(receipts);
    }

    synchronized Map<Seat, Long> readUpTo() {
        return Map.copyOf(readUpTo);
    }

    synchronized Map<Seat, Long> unreadReported() {
        return Map.copyOf(unreadReported);
    }

    /**
     * How many acknowledgements were recorded.
     *
     * @return the count
     */
    public synchronized int acknowledgedCount() {
        return acks.size();
    }
}

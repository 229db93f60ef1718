package io.carechat.messaging.tck.history;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.tck.history.ClientHistory.Ack;
import io.carechat.messaging.tck.history.ClientHistory.Receipt;
import io.carechat.messaging.tck.history.ClientHistory.Seat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Holds what clients saw ({@link ClientHistory}) against what the server stored, and names every
 * broken promise:
 * <ul>
 *   <li>every acknowledged message is stored exactly once, with the id and {@code seq} it was
 *       acknowledged with, and no {@code clientMsgId} is stored twice;</li>
 *   <li>each conversation's {@code seq} runs from 1 without a gap or a repeat;</li>
 *   <li>each recorded member received every message others stored in their conversations, and,
 *       duplicates set aside, in {@code seq} order. A member's own message that it was
 *       acknowledged for is set aside from the order: the sender knew it from its send, and when
 *       the answer to that send was lost with its connection it may see later messages first and
 *       its own one again in the next connection's backlog;</li>
 *   <li>nobody received a message of a conversation they are not a member of, nor a message the
 *       server does not hold;</li>
 *   <li>each unread count reported equals the messages from others after the reader's position.</li>
 * </ul>
 * Stateless; each call works on the data it is given.
 */
public final class HistoryChecker {
    private HistoryChecker() {}

    /**
     * Checks a run.
     *
     * @param history what the clients recorded
     * @param stored every message the server holds at the end, of every conversation of the run
     * @return the verdict, with one line per broken promise
     */
    public static Verdict check(ClientHistory history, Collection<StoredMessage> stored) {
        List<String> violations = new ArrayList<>();
        Map<ConversationId, List<StoredMessage>> byConversation = new HashMap<>();
        Map<MessageId, StoredMessage> byId = new HashMap<>();
        Set<String> keys = new HashSet<>();
        for (StoredMessage m : stored) {
            byConversation.computeIfAbsent(m.conversationId(), c -> new ArrayList<>()).add(m);
            if (byId.put(m.id(), m) != null) {
                violations.add("message " + m.id().value() + " is stored twice");
            }
            if (!keys.add(m.senderId().value() + "/" + m.conversationId().value() + "/" + m.clientMsgId())) {
                violations.add("clientMsgId " + m.clientMsgId() + " of " + m.senderId().value() + " is stored twice");
            }
        }
        byConversation.forEach((conversation, messages) -> checkSequence(conversation, messages, violations));
        for (Ack ack : history.acks()) {
            StoredMessage m = byId.get(ack.id());
            if (m == null) {
                violations.add("acknowledged message " + ack.clientMsgId() + " (" + ack.id().value() + ") is not stored");
            } else if (m.seq() != ack.seq() || !m.conversationId().equals(ack.conversationId())) {
                violations.add("acknowledged message " + ack.clientMsgId() + " was acknowledged as seq " + ack.seq()
                        + " but is stored as seq " + m.seq());
            }
        }
        int deliveries = checkReceipts(history, byId, byConversation, violations);
        checkUnread(history, byConversation, violations);
        return new Verdict(violations, history.acknowledgedCount(), stored.size(), deliveries);
    }

    private static void checkSequence(ConversationId conversation, List<StoredMessage> messages, List<String> violations) {
        TreeSet<Long> seqs = new TreeSet<>();
        for (StoredMessage m : messages) {
            if (!seqs.add(m.seq())) {
                violations.add("seq " + m.seq() + " of " + conversation.value() + " is used twice");
            }
        }
        long expected = 1;
        for (long seq : seqs) {
            if (seq != expected) {
                violations.add("seq of " + conversation.value() + " jumps from " + (expected - 1) + " to " + seq);
                break;
            }
            expected++;
        }
    }

    private static int checkReceipts(ClientHistory history, Map<MessageId, StoredMessage> byId,
            Map<ConversationId, List<StoredMessage>> byConversation, List<String> violations) {
        Set<Seat> members = history.members();
        Map<Seat, LinkedHashSet<MessageId>> firstSeen = new HashMap<>();
        Map<Seat, Long> lastSeq = new HashMap<>();
        Set<MessageId> acknowledged = new HashSet<>();
        history.acks().forEach(ack -> acknowledged.add(ack.id()));
        for (Receipt r : history.receipts()) {
            Seat seat = new Seat(r.userId(), r.conversationId());
            if (!members.contains(seat)) {
                violations.add(r.userId().value() + " received message " + r.id().value() + " of "
                        + r.conversationId().value() + ", a conversation they are not a member of");
                continue;
            }
            StoredMessage m = byId.get(r.id());
            if (m == null) {
                violations.add(r.userId().value() + " received message " + r.id().value() + ", which is not stored");
                continue;
            }
            boolean ownSend = m.senderId().equals(r.userId()) && acknowledged.contains(r.id());
            if (firstSeen.computeIfAbsent(seat, s -> new LinkedHashSet<>()).add(r.id()) && !ownSend) {
                long previous = lastSeq.getOrDefault(seat, 0L);
                if (m.seq() < previous) {
                    violations.add(r.userId().value() + " received seq " + m.seq() + " of " + r.conversationId().value()
                            + " after seq " + previous + " (a message of " + m.senderId().value() + ")");
                }
                lastSeq.merge(seat, m.seq(), Math::max);
            }
        }
        int deliveries = 0;
        for (Seat seat : members) {
            Set<MessageId> seen = firstSeen.getOrDefault(seat, new LinkedHashSet<>());
            deliveries += seen.size();
            for (StoredMessage m : byConversation.getOrDefault(seat.conversationId(), List.of())) {
                if (!m.senderId().equals(seat.userId()) && !seen.contains(m.id())) {
                    violations.add(seat.userId().value() + " never received seq " + m.seq() + " of "
                            + seat.conversationId().value());
                }
            }
        }
        return deliveries;
    }

    private static void checkUnread(ClientHistory history, Map<ConversationId, List<StoredMessage>> byConversation,
            List<String> violations) {
        Map<Seat, Long> read = history.readUpTo();
        history.unreadReported().forEach((seat, reported) -> {
            long position = read.getOrDefault(seat, 0L);
            long expected = byConversation.getOrDefault(seat.conversationId(), List.of()).stream()
                    .filter(m -> !m.senderId().equals(seat.userId()) && m.seq() > position)
                    .count();
            if (reported != expected) {
                violations.add(seat.userId().value() + " was told " + reported + " unread in "
                        + seat.conversationId().value() + " but " + expected + " follow their read position " + position);
            }
        });
    }

    /**
     * The outcome of a check.
     *
     * @param violations one line per broken promise; empty when the run kept them all
     * @param acknowledged how many acknowledgements were checked
     * @param stored how many stored messages were checked
     * @param deliveries how many distinct (member, message) deliveries were seen
     */
    public record Verdict(List<String> violations, int acknowledged, int stored, int deliveries) {
        /** Copies the list. */
        public Verdict {
            violations = List.copyOf(violations);
        }

        /**
         * Whether every promise was kept.
         *
         * @return true when there is no violation
         */
        public boolean passed() {
            return violations.isEmpty();
        }

        /**
         * Fails with every violation listed (at most 50) when there is one.
         *
         * @throws AssertionError naming the violations
         */
        public void assertPassed() {
            if (!passed()) {
                List<String> shown = violations.subList(0, Math.min(50, violations.size()));
                throw new AssertionError(violations.size() + " broken promises (of " + acknowledged + " acknowledged, "
                        + stored + " stored):\n  " + String.join("\n  ", shown));
            }
        }
    }
}

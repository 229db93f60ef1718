package io.carechat.messaging.websocket.client;

import io.carechat.messaging.model.ConversationId;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * What a client may acknowledge as delivered, per conversation: the highest {@code seq} it holds
 * with no gap before it (live frames of one conversation can arrive out of order; acknowledging
 * past a gap could lose the missing message on reconnect). Starts from the {@code deliveredSeq}
 * each {@code ready} reports.
 *
 * <p>Not API. Thread-safe.
 */
final class DeliveryTracker {
    /** The most out-of-order seqs remembered per conversation; higher ones come again later. */
    private static final int MAX_HELD = 10_000;

    private static final class Position {
        long contiguous;
        long acknowledged;
        final TreeSet<Long> above = new TreeSet<>();

        Position(long start) {
            this.contiguous = start;
            this.acknowledged = start;
        }
    }

    private final Map<ConversationId, Position> positions = new HashMap<>();

    /**
     * Starts a conversation over from the server's delivered position, as a new session does.
     *
     * @param conversationId the conversation
     * @param deliveredSeq the member's delivered position on the server
     */
    public synchronized void reset(ConversationId conversationId, long deliveredSeq) {
        positions.put(conversationId, new Position(deliveredSeq));
    }

    /**
     * Records a message the client now holds.
     *
     * @param conversationId its conversation (a conversation not seen before starts at 0)
     * @param seq its seq
     * @return the seq to acknowledge now, if the gap-free position rose past the last one
     *     acknowledged
     */
    public synchronized OptionalLong hold(ConversationId conversationId, long seq) {
        Position p = positions.computeIfAbsent(conversationId, id -> new Position(0));
        if (seq <= p.contiguous) {
            return OptionalLong.empty();
        }
        if (seq == p.contiguous + 1) {
            p.contiguous = seq;
            while (!p.above.isEmpty() && p.above.first() == p.contiguous + 1) {
                p.contiguous = p.above.pollFirst();
            }
        } else {
            p.above.add(seq);
            if (p.above.size() > MAX_HELD) {
                p.above.pollLast();
            }
        }
        if (p.contiguous > p.acknowledged) {
            p.acknowledged = p.contiguous;
            return OptionalLong.of(p.contiguous);
        }
        return OptionalLong.empty();
    }
}

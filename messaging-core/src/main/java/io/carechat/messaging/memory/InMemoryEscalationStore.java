package io.carechat.messaging.memory;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Escalation;
import io.carechat.messaging.model.EscalationOutcome;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.EscalationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An {@link EscalationStore} in memory, part of an {@link InMemoryStorage}, whose message store
 * writes an escalation under the conversation's lock as it appends the urgent message. Thread-safe:
 * every method holds the store's lock, taken after the conversation's where both are held, as an
 * append takes them. Lifecycle: made by its {@link InMemoryStorage}, and kept as long as it is;
 * nothing survives a restart.
 */
public final class InMemoryEscalationStore implements EscalationStore {
    private static final Comparator<Row> DUE_ORDER = Comparator.comparing((Row r) -> r.escalation.dueAt())
            .thenComparing(r -> r.escalation.conversationId().value())
            .thenComparingLong(r -> r.escalation.seq());

    /** One escalation and who holds its claim until when. */
    private static final class Row {
        Escalation escalation;
        @Nullable String claimant;
        @Nullable Instant leaseUntil;

        Row(Escalation escalation) {
            this.escalation = escalation;
        }
    }

    private record Key(ConversationId conversationId, long seq) {}

    private final ConversationRegistry registry;
    private final Map<Key, Row> rows = new LinkedHashMap<>();
    private List<UserId> onCall = List.of();

    InMemoryEscalationStore(ConversationRegistry registry) {
        this.registry = registry;
    }

    /** Keeps the escalation of a message just appended; called under the conversation's lock. */
    synchronized void schedule(Message message, Instant dueAt) {
        Key key = new Key(message.conversationId(), message.seq());
        rows.putIfAbsent(key, new Row(new Escalation(message.conversationId(), message.seq(), message.senderId(),
                dueAt, null)));
    }

    @Override
    public synchronized List<UserId> onCall() {
        return onCall;
    }

    @Override
    public synchronized void replaceOnCall(List<UserId> doctorIds) {
        List<UserId> copy = List.copyOf(doctorIds);
        if (copy.size() > MAX_ON_CALL || new HashSet<>(copy).size() != copy.size()) {
            throw new IllegalArgumentException("the roster holds at most " + MAX_ON_CALL + " distinct doctors");
        }
        onCall = copy;
    }

    @Override
    public synchronized List<Escalation> due(Instant now, int limit) {
        requireNonNull(now, "now");
        checkLimit(limit);
        return rows.values().stream()
                .filter(r -> r.escalation.pending() && !r.escalation.dueAt().isAfter(now)
                        && (r.leaseUntil == null || !r.leaseUntil.isAfter(now)))
                .sorted(DUE_ORDER)
                .limit(limit)
                .map(r -> r.escalation)
                .toList();
    }

    @Override
    public synchronized boolean claim(ConversationId conversationId, long seq, String claimant, Instant now,
            Instant leaseUntil) {
        requireNonNull(claimant, "claimant");
        requireNonNull(now, "now");
        requireNonNull(leaseUntil, "leaseUntil");
        Row row = rows.get(new Key(requireNonNull(conversationId, "conversationId"), seq));
        if (row == null || !row.escalation.pending() || row.escalation.dueAt().isAfter(now)
                || row.leaseUntil != null && row.leaseUntil.isAfter(now)) {
            return false;
        }
        row.claimant = claimant;
        row.leaseUntil = leaseUntil;
        return true;
    }

    @Override
    public Optional<List<UserId>> complete(ConversationId conversationId, long seq, String claimant,
            EscalationOutcome outcome, List<UserId> addMembers, Instant now) {
        requireNonNull(conversationId, "conversationId");
        requireNonNull(claimant, "claimant");
        requireNonNull(outcome, "outcome");
        requireNonNull(now, "now");
        List<UserId> candidates = List.copyOf(addMembers);
        Optional<ConversationState> found = registry.find(conversationId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ConversationState state = found.get();
        synchronized (state) {
            synchronized (this) {
                Row row = rows.get(new Key(conversationId, seq));
                if (row == null || !row.escalation.pending() || !claimant.equals(row.claimant)) {
                    return Optional.empty();
                }
                Escalation e = row.escalation;
                row.escalation = new Escalation(e.conversationId(), e.seq(), e.senderId(), e.dueAt(), outcome);
                row.leaseUntil = null;
            }
            List<UserId> added = new ArrayList<>();
            for (UserId doctor : candidates) {
                if (state.joinFrom(doctor, now, seq - 1) != null) {
                    added.add(doctor);
                }
            }
            return Optional.of(List.copyOf(added));
        }
    }

    @Override
    public synchronized Optional<Escalation> find(ConversationId conversationId, long seq) {
        Row row = rows.get(new Key(requireNonNull(conversationId, "conversationId"), seq));
        return row == null ? Optional.empty() : Optional.of(row.escalation);
    }

    @Override
    public synchronized List<Escalation> escalated(ConversationId conversationId, int limit) {
        requireNonNull(conversationId, "conversationId");
        checkLimit(limit);
        return rows.values().stream()
                .map(r -> r.escalation)
                .filter(e -> e.conversationId().equals(conversationId) && e.outcome() == EscalationOutcome.ESCALATED)
                .sorted(Comparator.comparingLong(Escalation::seq))
                .limit(limit)
                .toList();
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > 1_000) {
            throw new IllegalArgumentException("limit must be 1 to 1000");
        }
    }
}

package io.carechat.messaging.memory;

import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationSummary;
import io.carechat.messaging.model.MemberState;
import io.carechat.messaging.model.MembershipPeriod;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One conversation's messages, members and membership periods. Guarded by its own monitor: every method is
 * synchronized, and callers that need several steps to be atomic (an append with its counters)
 * synchronize on the instance, which is the per-conversation lock that keeps {@code seq} gapless.
 */
final class ConversationState {
    private static final Comparator<MembershipPeriod> PERIOD_ORDER =
            Comparator.comparingLong(MembershipPeriod::joinedSeq)
                    .thenComparing(MembershipPeriod::joinedAt)
                    .thenComparing(p -> p.userId().value());

    private Conversation conversation;
    private final List<Message> messages = new ArrayList<>();
    private final Map<UserId, MemberState> members = new LinkedHashMap<>();
    private final List<MembershipPeriod> periods = new ArrayList<>();

    ConversationState(Conversation conversation) {
        this.conversation = conversation;
        for (UserId member : conversation.memberIds()) {
            members.put(member, new MemberState(conversation.id(), member, 0, 0, 0));
            periods.add(new MembershipPeriod(conversation.id(), member, conversation.createdAt(), 0, null, null));
        }
    }

    synchronized Conversation conversation() {
        return conversation;
    }

    /** Adds a member at the last {@code seq}; null when the user is a member already. */
    synchronized @Nullable MemberState join(UserId userId, Instant now) {
        if (members.containsKey(userId)) {
            return null;
        }
        long last = lastSeq();
        MemberState state = new MemberState(conversation.id(), userId, last, last, 0, last);
        members.put(userId, state);
        periods.add(new MembershipPeriod(conversation.id(), userId, now, last, null, null));
        conversation = conversation.withMembers(List.copyOf(members.keySet()));
        return state;
    }

    /**
     * Adds a member who sees the messages after {@code joinedSeq}, delivered and read there, the
     * later ones others sent unread; null when the user is a member already. For any kind of
     * conversation: an escalation adds on-call doctors to direct ones too.
     */
    synchronized @Nullable MemberState joinFrom(UserId userId, Instant now, long joinedSeq) {
        if (members.containsKey(userId)) {
            return null;
        }
        long from = Math.min(joinedSeq, lastSeq());
        long unread = messages.stream().filter(m -> m.seq() > from && !m.senderId().equals(userId)).count();
        MemberState state = new MemberState(conversation.id(), userId, from, from, unread, from);
        members.put(userId, state);
        periods.add(new MembershipPeriod(conversation.id(), userId, now, from, null, null));
        conversation = conversation.withMembers(List.copyOf(members.keySet()));
        return state;
    }

    /** Removes a member and ends their period at the last {@code seq}; false when not a member. */
    synchronized boolean leave(UserId userId, Instant now) {
        if (members.remove(userId) == null) {
            return false;
        }
        for (int i = 0; i < periods.size(); i++) {
            MembershipPeriod p = periods.get(i);
            if (p.userId().equals(userId) && p.current()) {
                periods.set(i, new MembershipPeriod(p.conversationId(), userId, p.joinedAt(), p.joinedSeq(), now,
                        lastSeq()));
            }
        }
        conversation = conversation.withMembers(List.copyOf(members.keySet()));
        return true;
    }

    synchronized List<MembershipPeriod> periods() {
        return periods.stream().sorted(PERIOD_ORDER).toList();
    }

    synchronized long lastSeq() {
        return messages.size();
    }

    synchronized @Nullable MemberState member(UserId userId) {
        return members.get(userId);
    }

    synchronized List<MemberState> members() {
        return List.copyOf(members.values());
    }

    /** Adds a message with the next {@code seq} and bumps every other member's unread counter. */
    synchronized void add(Message message) {
        if (message.seq() != lastSeq() + 1) {
            throw new IllegalStateException("seq must follow the last one");
        }
        messages.add(message);
        members.replaceAll((id, m) -> id.equals(message.senderId())
                ? m
                : m.at(m.deliveredSeq(), m.readSeq(), m.unread() + 1));
    }

    /** Replaces the body of message {@code seq} if it is still {@code expected}. */
    synchronized boolean replaceBody(long seq, String expected, String replacement) {
        if (seq < 1 || seq > messages.size()) {
            return false;
        }
        Message m = messages.get((int) seq - 1);
        return reseal(seq, expected, m.attachments(), replacement, m.attachments());
    }

    /** Replaces body and attachment references of message {@code seq} if they are still the expected ones. */
    synchronized boolean reseal(long seq, String expectedBody, List<AttachmentRef> expectedAttachments,
            String body, List<AttachmentRef> attachments) {
        if (seq < 1 || seq > messages.size()) {
            return false;
        }
        Message m = messages.get((int) seq - 1);
        if (!m.body().equals(expectedBody) || !m.attachments().equals(expectedAttachments)) {
            return false;
        }
        messages.set((int) seq - 1, new Message(m.id(), m.conversationId(), m.seq(), m.senderId(), body,
                m.priority(), m.sentAt(), m.clientMsgId(), attachments));
        return true;
    }

    synchronized void put(MemberState state) {
        members.put(state.userId(), state);
    }

    /** Messages with {@code seq} in {@code (fromSeq, toSeq]}, ascending. */
    synchronized List<Message> range(long fromSeq, long toSeq) {
        int from = (int) Math.max(0, Math.min(fromSeq, messages.size()));
        int to = (int) Math.max(from, Math.min(toSeq, messages.size()));
        return List.copyOf(messages.subList(from, to));
    }

    synchronized long unreadFor(UserId userId, long readSeq) {
        return range(readSeq, lastSeq()).stream().filter(m -> !m.senderId().equals(userId)).count();
    }

    synchronized @Nullable ConversationSummary summaryFor(UserId userId) {
        MemberState self = members.get(userId);
        if (self == null) {
            return null;
        }
        Message last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        return new ConversationSummary(conversation, messages.size(), last == null ? null : last.sentAt(), self,
                List.copyOf(members.values()));
    }
}

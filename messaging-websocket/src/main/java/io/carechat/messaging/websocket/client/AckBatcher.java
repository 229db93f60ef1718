package io.carechat.messaging.websocket.client;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.protocol.ClientFrame;
import io.carechat.messaging.protocol.ConversationView;
import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.protocol.ServerFrame;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges as {@code delivered} the messages the Java client holds: per conversation the
 * highest {@code seq} it holds without a gap (a {@link DeliveryTracker}), from every frame that
 * carries messages ({@code message}, {@code sent}, {@code history}). Acknowledgements gather for
 * a moment, so a backlog costs a few {@code delivered} frames and not one per message, and
 * {@link #flush()} sends them before any request, so that a reply also means they were served.
 *
 * <p>Not API. Thread-safe: its state is guarded by the lock of the {@link ClientConnection} it
 * serves, which that connection also holds around a flush and the request after it. Lifecycle:
 * lives as long as its client; starts over at each {@code ready}.
 */
final class AckBatcher {
    private static final Logger LOG = LoggerFactory.getLogger(AckBatcher.class);
    /** How long acknowledgements gather before one {@code delivered} per conversation goes out. */
    private static final long DELAY_MILLIS = 20;
    private static final ServerFrame.Visitor<List<MessageView>> CARRIED = new Carried();

    private final Object lock;
    private final ScheduledExecutorService timer;
    private final Consumer<ClientFrame> transmit;
    private final DeliveryTracker deliveries = new DeliveryTracker();
    private final Map<ConversationId, Long> gathered = new LinkedHashMap<>();
    private boolean flushScheduled;

    /**
     * Creates the batcher.
     *
     * @param lock the connection's lock
     * @param timer runs the delayed flush
     * @param transmit sends a frame if there is a session, and drops it otherwise
     */
    public AckBatcher(Object lock, ScheduledExecutorService timer, Consumer<ClientFrame> transmit) {
        this.lock = requireNonNull(lock, "lock");
        this.timer = requireNonNull(timer, "timer");
        this.transmit = requireNonNull(transmit, "transmit");
    }

    /**
     * Notes the messages a frame carries; when one raises a conversation's gap-free position, a
     * flush follows shortly.
     *
     * @param frame a server frame
     */
    public void hold(ServerFrame frame) {
        frame.accept(CARRIED).forEach(this::hold);
    }

    private void hold(MessageView message) {
        deliveries.hold(message.conversationId(), message.seq()).ifPresent(seq -> {
            boolean schedule;
            synchronized (lock) {
                gathered.merge(message.conversationId(), seq, Math::max);
                schedule = !flushScheduled;
                flushScheduled = true;
            }
            if (schedule) {
                try {
                    timer.schedule(this::flush, DELAY_MILLIS, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    LOG.debug("closed while acknowledging");
                }
            }
        });
    }

    /**
     * Sends the gathered acknowledgements, one {@code delivered} per conversation. Without a
     * session they are dropped: the next session's backlog brings those messages again.
     */
    public void flush() {
        synchronized (lock) {
            flushScheduled = false;
            gathered.forEach((conversationId, seq) ->
                    transmit.accept(new ClientFrame.Delivered(null, conversationId, seq)));
            gathered.clear();
        }
    }

    /**
     * Starts over for a new session, from the delivered positions its {@code ready} reports.
     *
     * @param conversations the conversations of the {@code ready} frame
     */
    public void restart(List<ConversationView> conversations) {
        synchronized (lock) {
            gathered.clear();
            conversations.forEach(c -> deliveries.reset(c.id(), c.deliveredSeq()));
        }
    }

    /** The messages each server frame carries. */
    private static final class Carried implements ServerFrame.Visitor<List<MessageView>> {
        @Override
        public List<MessageView> visitReady(ServerFrame.Ready f) {
            return List.of();
        }

        @Override
        public List<MessageView> visitMessage(ServerFrame.Message f) {
            return List.of(f.message());
        }

        @Override
        public List<MessageView> visitSent(ServerFrame.Sent f) {
            return List.of(f.message());
        }

        @Override
        public List<MessageView> visitReceipt(ServerFrame.Receipt f) {
            return List.of();
        }

        @Override
        public List<MessageView> visitUnread(ServerFrame.Unread f) {
            return List.of();
        }

        @Override
        public List<MessageView> visitConversation(ServerFrame.Conversation f) {
            return List.of();
        }

        @Override
        public List<MessageView> visitHistory(ServerFrame.History f) {
            return f.messages();
        }

        @Override
        public List<MessageView> visitConversations(ServerFrame.Conversations f) {
            return List.of();
        }

        @Override
        public List<MessageView> visitContacts(ServerFrame.Contacts f) {
            return List.of();
        }

        @Override
        public List<MessageView> visitMembers(ServerFrame.Members f) {
            return List.of();
        }

        @Override
        public List<MessageView> visitTyping(ServerFrame.Typing f) {
            return List.of();
        }

        @Override
        public List<MessageView> visitPresence(ServerFrame.Presence f) {
            return List.of();
        }

        @Override
        public List<MessageView> visitNotice(ServerFrame.Notice f) {
            return List.of();
        }

        @Override
        public List<MessageView> visitBreakGlassNotice(ServerFrame.BreakGlassNotice f) {
            return List.of();
        }

        @Override
        public List<MessageView> visitEscalationNotice(ServerFrame.EscalationNotice f) {
            return List.of();
        }

        @Override
        public List<MessageView> visitOk(ServerFrame.Ok f) {
            return List.of();
        }

        @Override
        public List<MessageView> visitPong(ServerFrame.Pong f) {
            return List.of();
        }

        @Override
        public List<MessageView> visitError(ServerFrame.Error f) {
            return List.of();
        }

        @Override
        public List<MessageView> visitRecalled(ServerFrame.Recalled f) {
            return List.of();
        }
    }
}

package io.carechat.messaging.websocket.client;

import static java.util.Objects.requireNonNull;

import io.carechat.messaging.protocol.ServerFrame;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the Java client's {@link CareChatListener}: tasks run one at a time on the client's event
 * thread, in the order they were given, and each server frame goes to its own listener method
 * through a {@link ServerFrame.Visitor}, so a frame the listener has no method for does not
 * compile. A task that throws is logged by the exception's type only, and later tasks still run.
 *
 * <p>Not API. Thread-safe. Lifecycle: lives as long as the event executor it is given; once that
 * is shut down, tasks are dropped.
 */
final class ListenerDispatch {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerDispatch.class);

    private final CareChatListener listener;
    private final Executor events;
    private final ServerFrame.Visitor<@Nullable Void> toListener = new ToListener();

    /**
     * Creates the dispatch.
     *
     * @param listener the listener to call
     * @param events a single-threaded executor, the client's event thread
     */
    public ListenerDispatch(CareChatListener listener, Executor events) {
        this.listener = requireNonNull(listener, "listener");
        this.events = requireNonNull(events, "events");
    }

    /**
     * Runs a task on the event thread, after the tasks given before it.
     *
     * @param task the task, which may call the listener
     */
    public void run(Runnable task) {
        try {
            events.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("a CareChat listener failed ({})", e.getClass().getName());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("the client is closed; an event was dropped");
        }
    }

    /**
     * Calls the listener method for a server frame, now; call it from a task given to
     * {@link #run(Runnable)}.
     *
     * @param frame the frame
     */
    public void frame(ServerFrame frame) {
        frame.accept(toListener);
    }

    /**
     * Calls {@link CareChatListener#onReconnected}, now; call it from a task given to
     * {@link #run(Runnable)}.
     *
     * @param ready the new session's frame
     */
    public void reconnected(ServerFrame.Ready ready) {
        listener.onReconnected(ready);
    }

    /**
     * Calls {@link CareChatListener#onDisconnected}, now; call it from a task given to
     * {@link #run(Runnable)}.
     *
     * @param code the close code
     * @param reason the close reason
     */
    public void disconnected(int code, String reason) {
        listener.onDisconnected(code, reason);
    }

    /** Each server frame to its listener method. */
    private final class ToListener implements ServerFrame.Visitor<@Nullable Void> {
        @Override
        public @Nullable Void visitReady(ServerFrame.Ready f) {
            listener.onReady(f);
            return null;
        }

        @Override
        public @Nullable Void visitMessage(ServerFrame.Message f) {
            listener.onMessage(f.message());
            return null;
        }

        @Override
        public @Nullable Void visitSent(ServerFrame.Sent f) {
            listener.onSent(f);
            return null;
        }

        @Override
        public @Nullable Void visitReceipt(ServerFrame.Receipt f) {
            listener.onReceipt(f);
            return null;
        }

        @Override
        public @Nullable Void visitUnread(ServerFrame.Unread f) {
            listener.onUnread(f);
            return null;
        }

        @Override
        public @Nullable Void visitConversation(ServerFrame.Conversation f) {
            listener.onConversation(f);
            return null;
        }

        @Override
        public @Nullable Void visitHistory(ServerFrame.History f) {
            listener.onHistory(f);
            return null;
        }

        @Override
        public @Nullable Void visitConversations(ServerFrame.Conversations f) {
            listener.onConversations(f);
            return null;
        }

        @Override
        public @Nullable Void visitContacts(ServerFrame.Contacts f) {
            listener.onContacts(f);
            return null;
        }

        @Override
        public @Nullable Void visitMembers(ServerFrame.Members f) {
            listener.onMembers(f);
            return null;
        }

        @Override
        public @Nullable Void visitTyping(ServerFrame.Typing f) {
            listener.onTyping(f);
            return null;
        }

        @Override
        public @Nullable Void visitPresence(ServerFrame.Presence f) {
            listener.onPresence(f);
            return null;
        }

        @Override
        public @Nullable Void visitNotice(ServerFrame.Notice f) {
            listener.onNotice(f);
            return null;
        }

        @Override
        public @Nullable Void visitBreakGlassNotice(ServerFrame.BreakGlassNotice f) {
            listener.onBreakGlassNotice(f);
            return null;
        }

        @Override
        public @Nullable Void visitEscalationNotice(ServerFrame.EscalationNotice f) {
            listener.onEscalationNotice(f);
            return null;
        }

        @Override
        public @Nullable Void visitOk(ServerFrame.Ok f) {
            listener.onOk(f);
            return null;
        }

        @Override
        public @Nullable Void visitPong(ServerFrame.Pong f) {
            listener.onPong(f);
            return null;
        }

        @Override
        public @Nullable Void visitError(ServerFrame.Error f) {
            listener.onError(f);
            return null;
        }

        @Override
        public @Nullable Void visitRecalled(ServerFrame.Recalled f) {
            listener.onRecalled(f);
            return null;
        }
    }
}

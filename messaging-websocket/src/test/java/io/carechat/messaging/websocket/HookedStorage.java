package io.carechat.messaging.websocket;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.HistoryPage;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.spi.AppendResult;
import io.carechat.messaging.spi.ForwardingStorage;
import io.carechat.messaging.spi.MessageStore;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.spi.NewMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Storage that runs one-shot hooks just before a message is appended or right after it is
 * committed, on the thread serving the send: tests use them to drop a connection at a chosen
 * moment. Thread-safe.
 */
final class HookedStorage extends ForwardingStorage {
    private final AtomicReference<@Nullable Runnable> beforeNextAppend = new AtomicReference<>();
    private final AtomicReference<@Nullable Runnable> afterNextCommit = new AtomicReference<>();
    private final MessageStore messages;

    HookedStorage(MessagingStorage delegate) {
        super(delegate);
        MessageStore store = delegate.messages();
        this.messages = new MessageStore() {
            @Override
            public AppendResult append(NewMessage message) {
                Runnable before = beforeNextAppend.getAndSet(null);
                if (before != null) {
                    before.run();
                }
                AppendResult result = store.append(message);
                Runnable hook = afterNextCommit.getAndSet(null);
                if (hook != null) {
                    hook.run();
                }
                return result;
            }

            @Override
            public HistoryPage history(ConversationId id, @Nullable Long beforeSeq, int limit) {
                return store.history(id, beforeSeq, limit);
            }

            @Override
            public List<Message> after(ConversationId id, long afterSeq, int limit) {
                return store.after(id, afterSeq, limit);
            }

            @Override
            public Optional<Message> find(ConversationId id, long seq) {
                return store.find(id, seq);
            }
        };
    }

    /** Runs a hook before the next append, on the appending thread; it may throw to fail the append. */
    void beforeNextAppend(Runnable hook) {
        beforeNextAppend.set(hook);
    }

    /** Runs a hook after the next commit, on the committing thread. */
    void afterNextCommit(Runnable hook) {
        afterNextCommit.set(hook);
    }

    @Override
    public MessageStore messages() {
        return messages;
    }
}

package io.carechat.messaging.hub;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.HistoryPage;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.spi.AppendResult;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditSink;
import io.carechat.messaging.spi.ForwardingStorage;
import io.carechat.messaging.spi.MessageStore;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.spi.NewMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** Storage whose appends wait until the test commits them, one by one, in any order. */
final class HeldAppends {
    final List<Held> pending = new ArrayList<>();
    private MessageStore store;

    record Held(NewMessage message, AuditEvent event, AuditSink sink, CompletableFuture<AppendResult> result) {}

    MessagingStorage wrap(MessagingStorage real) {
        this.store = real.messages();
        MessageStore messages = new MessageStore() {
            @Override
            public AppendResult append(NewMessage message) {
                return real.messages().append(message);
            }

            @Override
            public CompletableFuture<AppendResult> appendAsync(NewMessage message, AuditEvent event,
                    AuditSink sink) {
                CompletableFuture<AppendResult> result = new CompletableFuture<>();
                pending.add(new Held(message, event, sink, result));
                return result;
            }

            @Override
            public HistoryPage history(ConversationId id, @Nullable Long beforeSeq, int limit) {
                return real.messages().history(id, beforeSeq, limit);
            }

            @Override
            public List<Message> after(ConversationId id, long afterSeq, int limit) {
                return real.messages().after(id, afterSeq, limit);
            }

            @Override
            public Optional<Message> find(ConversationId id, long seq) {
                return real.messages().find(id, seq);
            }
        };
        return new ForwardingStorage(real) {
            @Override
            public MessageStore messages() {
                return messages;
            }
        };
    }

    /** Stores the held append {@code index} in the real store and completes its caller. */
    void commit(int index) {
        Held h = pending.get(index);
        h.result().complete(store.append(h.message(), h.event(), h.sink()));
    }
}

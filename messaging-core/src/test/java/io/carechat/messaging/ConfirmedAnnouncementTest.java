package io.carechat.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.UnavailableException;
import io.carechat.messaging.event.MessageCommitted;
import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.spi.EventBus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A new message is acknowledged only once the bus confirms every node will hear of it")
class ConfirmedAnnouncementTest {
    private final ConfirmingBus bus = new ConfirmingBus();
    private final Clinic clinic = new Clinic(b -> b.eventBus(bus));
    private final Conversation chat = clinic.doctorAndPatient();

    @AfterEach
    void close() {
        clinic.close();
        bus.close();
    }

    @Test
    @DisplayName("sendAsync completes after the bus's confirmation, not after the commit")
    void answerWaitsForTheConfirmation() {
        CompletableFuture<Message> sent = clinic.messaging.sendAsync(Clinic.as(clinic.patient),
                SendRequest.text(chat.id(), "m-1", "hello"), Runnable::run);

        assertThat(bus.pending).as("the commit's event was published, its confirmation waits").hasSize(1);
        assertThat(sent).as("not acknowledged before the bus confirms").isNotDone();
        bus.pending.get(0).complete(null);
        assertThat(sent.join().seq()).isEqualTo(1);
    }

    @Test
    @DisplayName("an unconfirmed message is answered unavailable; the retry with its clientMsgId announces it again and is acknowledged with the original")
    void unconfirmedIsAnnouncedAgainOnRetry() {
        CompletableFuture<Message> first = clinic.messaging.sendAsync(Clinic.as(clinic.patient),
                SendRequest.text(chat.id(), "m-1", "hello"), Runnable::run);
        bus.pending.get(0).completeExceptionally(new IllegalStateException("link down"));
        assertThatThrownBy(first::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(UnavailableException.class)
                .cause().hasMessageContaining("send it again with the same clientMsgId")
                .hasMessageNotContaining("hello");

        CompletableFuture<Message> retry = clinic.messaging.sendAsync(Clinic.as(clinic.patient),
                SendRequest.text(chat.id(), "m-1", "hello"), Runnable::run);
        assertThat(bus.pending).as("the repeat publishes the message's event again").hasSize(2);
        assertThat(retry).isNotDone();
        bus.pending.get(1).complete(null);
        assertThat(retry.join().seq()).as("the original, stored once").isEqualTo(1);
        assertThat(bus.committed()).extracting(MessageCommitted::seq).containsExactly(1L, 1L);

        Message again = clinic.messaging.send(Clinic.as(clinic.patient), SendRequest.text(chat.id(), "m-1", "hello"));
        assertThat(again.seq()).isEqualTo(1);
        assertThat(bus.committed()).as("a confirmed message is not announced by later repeats").hasSize(2);
    }

    @Test
    @DisplayName("the blocking send fails unavailable when the bus cannot confirm, with the message stored once")
    void blockingSendFailsUnavailable() {
        bus.failNext = true;
        assertThatThrownBy(() -> clinic.messaging.send(Clinic.as(clinic.patient),
                SendRequest.text(chat.id(), "m-1", "hello"))).isInstanceOf(UnavailableException.class);
        assertThat(clinic.messaging.history(Clinic.as(clinic.doctor), chat.id(), null, null).messages())
                .extracting(Message::seq).containsExactly(1L);
    }

    /**
     * An in-memory bus whose confirmations the test gives: publishConfirmed delivers the event at
     * once and leaves its confirmation pending, or fails it at once after {@link #failNext}.
     */
    private static final class ConfirmingBus implements EventBus {
        final InMemoryEventBus delegate = new InMemoryEventBus();
        final List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();
        final List<MessagingEvent> published = new CopyOnWriteArrayList<>();
        volatile boolean failNext;

        @Override
        public void publish(MessagingEvent event) {
            published.add(event);
            delegate.publish(event);
        }

        @Override
        public CompletionStage<Void> publishConfirmed(MessagingEvent event) {
            publish(event);
            if (failNext) {
                failNext = false;
                return CompletableFuture.failedFuture(new IllegalStateException("queue full"));
            }
            CompletableFuture<Void> confirmation = new CompletableFuture<>();
            pending.add(confirmation);
            return confirmation;
        }

        List<MessageCommitted> committed() {
            return published.stream().filter(MessageCommitted.class::isInstance).map(MessageCommitted.class::cast)
                    .toList();
        }

        @Override
        public Subscription subscribe(EventListener listener) {
            return delegate.subscribe(listener);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}

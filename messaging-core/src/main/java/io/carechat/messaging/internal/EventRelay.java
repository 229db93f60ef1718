package io.carechat.messaging.internal;

import io.carechat.messaging.error.IntegrityException;
import io.carechat.messaging.error.MessagingException;
import io.carechat.messaging.event.MembersChanged;
import io.carechat.messaging.event.BreakGlassGranted;
import io.carechat.messaging.event.ConversationEscalated;
import io.carechat.messaging.event.MessageCommitted;
import io.carechat.messaging.event.MessageRecalled;
import io.carechat.messaging.event.MessagingEvent;
import io.carechat.messaging.event.PresenceChanged;
import io.carechat.messaging.event.ReceiptAdvanced;
import io.carechat.messaging.event.Resync;
import io.carechat.messaging.event.RoleRequested;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.event.TypingStarted;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.spi.EventBus;
import io.carechat.messaging.spi.MessageStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the bus's events to the facade's subscribers (the hub, an embedder's listener), each
 * {@link MessageCommitted} with its message opened. The bus carries a committed message by its
 * ids only; the relay takes the message from {@link SentMessages} when this facade sent it, and
 * otherwise reads it from the store and opens it through {@link MessageCipher}, the path history
 * and backlog take. A body that fails its integrity check is audited there as
 * {@code integrity.failure} and not handed on; a message the store cannot be read for is replaced
 * by a {@link Resync}, so the hub catches its sessions up from the store. With no subscriber,
 * nothing is read.
 *
 * <p>Every other event is handed on as it came. Listeners run on the bus's delivery thread, one
 * after another; one that throws is logged (the event's type only) and the others still get the
 * event. Not API. Thread-safe. Lifecycle: subscribes to the bus when created, until
 * {@link #close()}.
 */
public final class EventRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventRelay.class);

    private final MessageStore messages;
    private final MessageCipher cipher;
    private final SentMessages sent;
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final Opener opener = new Opener();
    private final EventBus.Subscription subscription;

    /**
     * Creates the relay and subscribes it to the bus.
     *
     * @param bus the facade's bus
     * @param messages where other nodes' messages are read
     * @param cipher opens what is read, auditing integrity failures
     * @param sent the messages this facade committed, held until their events come back
     */
    public EventRelay(EventBus bus, MessageStore messages, MessageCipher cipher, SentMessages sent) {
        this.messages = messages;
        this.cipher = cipher;
        this.sent = sent;
        this.subscription = bus.subscribe(this::relay);
    }

    /**
     * Subscribes a listener to the facade's events.
     *
     * @param listener called on the bus's delivery thread; must not block
     * @return the subscription
     */
    public EventBus.Subscription subscribe(EventBus.EventListener listener) {
        Registration registration = new Registration(listener);
        registrations.add(registration);
        return registration;
    }

    /** Stops relaying: unsubscribes from the bus and drops every listener. Idempotent. */
    @Override
    public void close() {
        subscription.close();
        registrations.forEach(Registration::close);
    }

    /**
     * Hands an event to this facade's listeners only, on the calling thread, without the bus: for
     * what this node alone learned, such as presence that ended with a lost node's lease.
     *
     * @param event an event that is not a {@link MessageCommitted}
     */
    public void handOnLocally(MessagingEvent event) {
        if (event instanceof MessageCommitted) {
            throw new IllegalArgumentException("committed messages come only through the bus");
        }
        deliver(event);
    }

    private void relay(MessagingEvent event) {
        MessagingEvent opened = event.accept(opener);
        if (opened != null) {
            deliver(opened);
        }
    }

    private void deliver(MessagingEvent event) {
        for (Registration registration : registrations) {
            registration.deliver(event);
        }
    }

    /** Opens committed messages; returns every other event as it is, and null for nothing to hand on. */
    private final class Opener implements MessagingEvent.Visitor<@Nullable MessagingEvent> {

        @Override
        public @Nullable MessagingEvent visitMessageCommitted(MessageCommitted event) {
            Message atHand = sent.take(event.messageId());
            if (registrations.isEmpty()) {
                return null;
            }
            Message message = atHand != null ? atHand : load(event);
            return message == null ? null : MessageCommitted.opened(message, event.memberIds());
        }

        @Override
        public MessagingEvent visitReceiptAdvanced(ReceiptAdvanced event) {
            return event;
        }

        @Override
        public MessagingEvent visitPresenceChanged(PresenceChanged event) {
            return event;
        }

        @Override
        public MessagingEvent visitTypingStarted(TypingStarted event) {
            return event;
        }

        @Override
        public MessagingEvent visitRoleRequested(RoleRequested event) {
            return event;
        }

        @Override
        public MessagingEvent visitSessionsRevoked(SessionsRevoked event) {
            return event;
        }

        @Override
        public MessagingEvent visitResync(Resync event) {
            return event;
        }

        @Override
        public MessagingEvent visitMembersChanged(MembersChanged event) {
            return event;
        }

        @Override
        public MessagingEvent visitMessageRecalled(MessageRecalled event) {
            return event;
        }

        @Override
        public MessagingEvent visitBreakGlassGranted(BreakGlassGranted event) {
            return event;
        }

        @Override
        public MessagingEvent visitConversationEscalated(ConversationEscalated event) {
            return event;
        }
    }

    /** Reads and opens a message another facade committed; null when there is nothing to hand on. */
    private @Nullable Message load(MessageCommitted event) {
        try {
            Optional<Message> stored = messages.find(event.conversationId(), event.seq())
                    .filter(m -> m.id().equals(event.messageId()));
            if (stored.isEmpty()) {
                LOG.debug("committed message {} is not in the store; nothing to deliver", event.messageId());
                return null;
            }
            return cipher.openForDelivery(stored.get());
        } catch (IntegrityException e) {
            LOG.warn("committed message {} failed its integrity check and is not delivered live", event.messageId());
            return null;
        } catch (MessagingException e) {
            LOG.warn("could not read committed message {} ({}); live sessions catch up from the store",
                    event.messageId(), e.code());
            deliver(new Resync());
            return null;
        }
    }

    private final class Registration implements EventBus.Subscription {
        private final EventBus.EventListener listener;
        private volatile boolean active = true;

        private Registration(EventBus.EventListener listener) {
            this.listener = listener;
        }

        private void deliver(MessagingEvent event) {
            if (!active) {
                return;
            }
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("an event listener failed on a {} event ({}); the others still get it",
                        event.getClass().getSimpleName(), e.getClass().getName());
            }
        }

        @Override
        public void close() {
            active = false;
            registrations.remove(this);
        }
    }
}

package io.carechat.messaging.internal;

import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.MessageId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The messages this facade has just committed, opened, from the commit until their
 * {@link io.carechat.messaging.event.MessageCommitted} comes back from the bus, so that the
 * facade hands them to its subscribers without reading the store again. The bus itself carries
 * ids only.
 *
 * <p>A bounded memory, not a source of truth: at most {@link #CAPACITY} messages are held, the
 * oldest dropped first, so one whose event never comes back (a bus that dropped it) does not stay
 * for ever; an event whose message is no longer held is read from the store, as another node's
 * is. It also remembers the ids of the last {@link #CAPACITY} messages it held, so that a repeated
 * send can tell whether this facade announced its message. Not API. Thread-safe. Lifecycle: lives
 * as long as its facade.
 */
public final class SentMessages {
    /** The most messages held at once. */
    public static final int CAPACITY = 10_000;

    private final Map<MessageId, Message> held = new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<MessageId, Message> eldest) {
            return size() > CAPACITY;
        }
    };

    private final Map<MessageId, Boolean> announced = new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<MessageId, Boolean> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Creates an empty memory. */
    public SentMessages() {}

    /**
     * Holds a message until its event comes back.
     *
     * @param message the committed message, body opened
     */
    public synchronized void hold(Message message) {
        held.put(message.id(), message);
        announced.put(message.id(), Boolean.TRUE);
    }

    /**
     * Tells whether this facade announced a message lately.
     *
     * @param id the message's id
     * @return true when it was held for its event, among the last {@link #CAPACITY}
     */
    public synchronized boolean announced(MessageId id) {
        return announced.containsKey(id);
    }

    /**
     * Forgets that this facade announced a message, because the bus could not confirm it: a
     * repeated send announces it again.
     *
     * @param id the message's id
     */
    public synchronized void forget(MessageId id) {
        announced.remove(id);
    }

    /**
     * Takes a held message out.
     *
     * @param id the message's id
     * @return the message, or null when it is not held (another node's, or dropped)
     */
    public synchronized @Nullable Message take(MessageId id) {
        return held.remove(id);
    }
}

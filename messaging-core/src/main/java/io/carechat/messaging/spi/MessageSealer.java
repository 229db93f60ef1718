package io.carechat.messaging.spi;

import io.carechat.messaging.model.Message;

/**
 * Turns a message placed in its conversation into the form a {@link MessageStore} writes: CareChat
 * seals the body and attachment names with associated data that binds the {@code seq}, the
 * sender, the priority and the sent time, which only the store knows for certain once it has
 * placed the message. A store calls it once per new message, after assigning {@code seq} and
 * taking the sent time to its own precision, and writes and returns exactly what it gives back,
 * never {@link NewMessage#body()} itself. Implementations are thread-safe and do no I/O.
 */
@FunctionalInterface
public interface MessageSealer {

    /** Stores the message as given: for messages whose fields were sealed already, as in tests. */
    MessageSealer AS_GIVEN = message -> message;

    /**
     * The stored form of a placed message.
     *
     * @param placed the message with its {@code seq} and sent time, fields in plain text
     * @return the message to write, same ids, {@code seq}, sender, priority and time
     */
    Message seal(Message placed);
}

/**
 * A history checker for runs that break things on purpose: clients record every acknowledgement,
 * delivery, read and unread count into a {@link io.carechat.messaging.tck.history.ClientHistory},
 * and {@link io.carechat.messaging.tck.history.HistoryChecker} proves afterwards that nothing
 * acknowledged was lost or stored twice, that every member got every message once and in order,
 * that nobody got a message of a conversation they are not in, and that unread counts match.
 */
@NullMarked
package io.carechat.messaging.tck.history;

import org.jspecify.annotations.NullMarked;

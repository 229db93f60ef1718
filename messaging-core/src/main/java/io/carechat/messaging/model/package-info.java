/**
 * The values CareChat's API speaks in: typed ids, users, conversations, messages, receipts,
 * unread counts and the limits a deployment sets. Records and enums only; each is immutable and
 * thread-safe. This package depends on no other CareChat package, so every layer can use it.
 */
@NullMarked
package io.carechat.messaging.model;

import org.jspecify.annotations.NullMarked;

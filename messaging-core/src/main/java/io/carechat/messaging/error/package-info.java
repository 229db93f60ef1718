/**
 * The exceptions CareChat throws, one per {@link io.carechat.messaging.error.ErrorCode}, all
 * under {@link io.carechat.messaging.error.MessagingException}. Their messages name what was
 * wrong and never carry message bodies, tokens, passwords or keys. Depends on no other CareChat
 * package.
 */
@NullMarked
package io.carechat.messaging.error;

import org.jspecify.annotations.NullMarked;

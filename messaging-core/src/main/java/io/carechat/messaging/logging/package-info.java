/**
 * Logs an operator can follow: {@link io.carechat.messaging.logging.LogContext}, the slf4j MDC
 * keys CareChat and its transports set around a request's or socket's work (a request or socket
 * id, the user id once known, a trace id), and {@link io.carechat.messaging.logging.TraceParent},
 * the W3C {@code traceparent} header that brings the trace id. Never a token, a name or content.
 */
@NullMarked
package io.carechat.messaging.logging;

import org.jspecify.annotations.NullMarked;

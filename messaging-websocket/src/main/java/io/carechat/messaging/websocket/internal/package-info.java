/**
 * Internals of the WebSocket transport. Not API: anything here may change without notice.
 */
@NullMarked
package io.carechat.messaging.websocket.internal;

import org.jspecify.annotations.NullMarked;

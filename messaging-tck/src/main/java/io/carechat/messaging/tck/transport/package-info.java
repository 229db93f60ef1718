/**
 * The transport kit: {@link io.carechat.messaging.tck.transport.TransportContract}, the socket
 * rules of the wire contract that every transport adapter must keep, checked on real loopback
 * sockets against the real hub, and what an adapter's test gives it ({@link
 * io.carechat.messaging.tck.transport.TransportServer}, {@link
 * io.carechat.messaging.tck.transport.RunningTransport}). {@link
 * io.carechat.messaging.tck.transport.RawWebSocket} is a plain-socket WebSocket client for the
 * misbehaviour a client library prevents, usable in an adapter's own tests too.
 */
@NullMarked
package io.carechat.messaging.tck.transport;

import org.jspecify.annotations.NullMarked;

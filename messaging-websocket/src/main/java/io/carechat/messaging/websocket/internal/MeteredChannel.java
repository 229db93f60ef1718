package io.carechat.messaging.websocket.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WrappedByteChannel;
import org.jspecify.annotations.Nullable;

/**
 * The channel of one server socket, between Java-WebSocket and the network (or its TLS layer). It
 * does two things the library cannot: it counts the bytes handed on after the handshake response,
 * so that the socket's outbound backlog is known without walking the library's queue, and it
 * replaces the library's fixed {@code 404} refusal of an upgrade by the HTTP status the server
 * chose (403 for a foreign {@code Origin}, for instance). Its close of a plain socket lingers
 * ({@link LingeringClose}), so a peer still sending gets the last frames, the close frame among
 * them, instead of a reset.
 *
 * <p>Not API. Reads and writes come from the library's selector thread only; {@link #written()}
 * and {@link #refuseWith(int, String)} may be called from any thread.
 */
public final class MeteredChannel implements WrappedByteChannel {
    private final ByteChannel delegate;
    private final @Nullable SocketChannel socket;
    private final @Nullable LingeringClose closer;
    private final AtomicLong written = new AtomicLong();
    private volatile @Nullable ByteBuffer refusal;
    private @Nullable ByteBuffer handshakeResponse;
    private volatile boolean answered;
    private volatile boolean closed;

    /**
     * Wraps a channel.
     *
     * @param delegate the socket channel, or the library's TLS channel around it
     */
    public MeteredChannel(ByteChannel delegate) {
        this.delegate = requireNonNull(delegate, "delegate");
        this.socket = null;
        this.closer = null;
    }

    /**
     * Wraps a channel whose closing lingers when it is the plain socket itself (see
     * {@link LingeringClose}); a TLS channel is closed at once.
     *
     * @param delegate the socket channel, or the library's TLS channel around it
     * @param socket the socket under the channel
     * @param closer what closes the plain socket
     */
    public MeteredChannel(ByteChannel delegate, SocketChannel socket, LingeringClose closer) {
        this.delegate = requireNonNull(delegate, "delegate");
        this.socket = requireNonNull(socket, "socket");
        this.closer = requireNonNull(closer, "closer");
    }

    /**
     * Makes the next HTTP response written on this channel a refusal with this status, in place of
     * whatever the library writes. Call before the library writes its refusal.
     *
     * @param status the HTTP status, such as 403
     * @param phrase the reason phrase, such as {@code Forbidden}
     */
    public void refuseWith(int status, String phrase) {
        refuseWith(status, phrase, 0);
    }

    /**
     * Makes the next HTTP response written on this channel a refusal with this status and a
     * {@code Retry-After} header, in place of whatever the library writes.
     *
     * @param status the HTTP status, such as 429
     * @param phrase the reason phrase, such as {@code Too Many Requests}
     * @param retryAfterSeconds the header's value; 0 leaves the header out
     */
    public void refuseWith(int status, String phrase, long retryAfterSeconds) {
        String response = "HTTP/1.1 " + status + " " + phrase + "\r\n"
                + (retryAfterSeconds > 0 ? "Retry-After: " + retryAfterSeconds + "\r\n" : "")
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 0\r\n"
                + "Connection: close\r\n\r\n";
        refusal = ByteBuffer.wrap(response.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * How many bytes were handed to the network since the handshake response.
     *
     * @return the count
     */
    public long written() {
        return written.get();
    }

    /**
     * Whether the upgrade request was answered: the handshake response or a refusal began to be
     * written.
     *
     * @return true once anything was written
     */
    public boolean upgradeAnswered() {
        return answered;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        answered = true;
        ByteBuffer replacement = refusal;
        if (replacement != null) {
            delegate.write(replacement);
            if (replacement.hasRemaining()) {
                return 0;
            }
            // The library keeps a refused connection open; the refusal says Connection: close.
            int swallowed = src.remaining();
            src.position(src.limit());
            delegate.close();
            return swallowed;
        }
        if (handshakeResponse == null) {
            handshakeResponse = src;
        }
        int before = src.position();
        int n = delegate.write(src);
        if (src != handshakeResponse) {
            written.addAndGet(src.position() - before);
        }
        return n;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public boolean isOpen() {
        return !closed && delegate.isOpen();
    }

    /** Closes the channel; a plain socket's close lingers until its peer has read what was written. */
    @Override
    public void close() throws IOException {
        closed = true;
        if (closer != null && socket != null && delegate == socket) {
            closer.close(socket);
        } else {
            delegate.close();
        }
    }

    @Override
    public boolean isNeedWrite() {
        return delegate instanceof WrappedByteChannel w && w.isNeedWrite();
    }

    @Override
    public void writeMore() throws IOException {
        if (delegate instanceof WrappedByteChannel w) {
            w.writeMore();
        }
    }

    @Override
    public boolean isNeedRead() {
        return delegate instanceof WrappedByteChannel w && w.isNeedRead();
    }

    @Override
    public int readMore(ByteBuffer dst) throws IOException {
        return delegate instanceof WrappedByteChannel w ? w.readMore(dst) : 0;
    }

    @Override
    public boolean isBlocking() {
        if (delegate instanceof WrappedByteChannel w) {
            return w.isBlocking();
        }
        return delegate instanceof SelectableChannel s && s.isBlocking();
    }
}

package io.carechat.benchmarks.e2e;

import java.net.http.WebSocket;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends text frames on one JDK WebSocket in the order they were handed over, one at a time as the
 * JDK client requires, without ever blocking the caller: frames wait in an unbounded queue, so an
 * open-loop generator keeps its schedule however slow the socket is (the wait shows in the
 * receiver's latency). Thread-safe; lives as long as its socket.
 */
final class FrameSender {
    private final WebSocket socket;
    private final Queue<String> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final LongAdder failures = new LongAdder();

    FrameSender(WebSocket socket) {
        this.socket = socket;
    }

    /** Queues a frame and starts sending if the socket is idle. */
    void send(String frame) {
        pending.add(frame);
        drain();
    }

    /** @return frames still waiting, dropped now so they do not spill into the next step */
    int discardPending() {
        int dropped = 0;
        while (pending.poll() != null) {
            dropped++;
        }
        return dropped;
    }

    /** @return sends that failed, for example because the socket closed */
    long failures() {
        return failures.sum();
    }

    private void drain() {
        while (sending.compareAndSet(false, true)) {
            String next = pending.poll();
            if (next == null) {
                sending.set(false);
                if (pending.isEmpty()) {
                    return;
                }
                continue;
            }
            CompletableFuture<WebSocket> sent = socket.sendText(next, true);
            if (sent.isDone()) {
                if (sent.isCompletedExceptionally()) {
                    failures.increment();
                }
                sending.set(false);
                continue;
            }
            sent.whenComplete((ws, error) -> {
                if (error != null) {
                    failures.increment();
                }
                sending.set(false);
                drain();
            });
            return;
        }
    }
}

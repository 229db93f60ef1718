package io.carechat.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.messaging.tck.transport.RawWebSocket;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A well-behaved pair of users chatting while a test misbehaves around them: a patient sends a
 * message every {@link #PACE} over one socket, waiting for each {@code sent}, and a doctor reads
 * them on another. Each message's body carries the moment it was sent, so the doctor's side
 * measures delivery time; times are kept per phase of the test ({@link #phase(String)}) for the
 * report. The first failure (no {@code sent}, a gap in the doctor's {@code seq}s, a closed socket)
 * is kept and rethrown by {@link #assertHealthy()}.
 */
final class SteadyChat implements AutoCloseable {
    static final Duration PACE = Duration.ofMillis(50);
    private static final int PONG = 0xa;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RawWebSocket patient;
    private final RawWebSocket doctor;
    private final String conversation;
    private final Thread sender;
    private final Thread receiver;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Map<String, ConcurrentLinkedQueue<Long>> latencies = new ConcurrentHashMap<>();
    private volatile String phase = "start";
    private volatile boolean stopping;

    /** Logs both users in, opens their conversation and starts chatting. */
    SteadyChat(DemoProcess server, String patientName, String doctorName) throws IOException {
        Http http = new Http(server.baseUrl());
        String patientToken = http.login(patientName, Seeding.DEMO_PASSWORD);
        String doctorToken = http.login(doctorName, Seeding.DEMO_PASSWORD);
        Http.Answer opened = http.post("/api/conversations", patientToken,
                Http.json(Map.of("with", http.userId(doctorToken))));
        if (opened.status() != 200) {
            throw new AssertionError("opening the conversation answered " + opened.status());
        }
        conversation = opened.body().path("conversation").path("id").asText();
        long lastSeq = opened.body().path("conversation").path("lastSeq").asLong();
        patient = socket(server, patientToken);
        doctor = socket(server, doctorToken);
        sender = new Thread(this::send, "steady-chat-sender");
        receiver = new Thread(() -> receive(lastSeq), "steady-chat-receiver");
        sender.setDaemon(true);
        receiver.setDaemon(true);
        receiver.start();
        sender.start();
    }

    private static RawWebSocket socket(DemoProcess server, String token) throws IOException {
        RawWebSocket socket = RawWebSocket.upgrade(server.wsPort, "/ws", Map.of("Authorization", "Bearer " + token));
        String ready = socket.readText();
        if (!ready.startsWith("{\"type\":\"ready\"")) {
            throw new AssertionError("no ready frame");
        }
        return socket;
    }

    /** Names the phase the next deliveries are counted in. */
    void phase(String name) {
        phase = name;
    }

    private void send() {
        try {
            for (long i = 0; !stopping; i++) {
                patient.sendText("{\"type\":\"send\",\"ref\":\"s" + i + "\",\"conversationId\":\"" + conversation
                        + "\",\"clientMsgId\":\"steady-" + i + "\",\"body\":\"" + System.nanoTime() + "\"}");
                String ref = "\"ref\":\"s" + i + "\"";
                String reply;
                do {
                    reply = readText(patient);
                } while (!reply.contains(ref));
                if (!reply.startsWith("{\"type\":\"sent\"")) {
                    throw new AssertionError("a steady send was answered with an error");
                }
                acknowledged.incrementAndGet();
                Thread.sleep(PACE.toMillis());
            }
        } catch (Throwable t) {
            if (!stopping) {
                failure.compareAndSet(null, t);
            }
        }
    }

    private void receive(long lastSeq) {
        long expected = lastSeq + 1;
        try {
            while (!stopping || delivered.get() < acknowledged.get()) {
                JsonNode frame = JSON.readTree(readText(doctor));
                if (!"message".equals(frame.path("type").asText())) {
                    continue;
                }
                JsonNode message = frame.path("message");
                long arrived = System.nanoTime();
                if (message.path("seq").asLong() != expected) {
                    throw new AssertionError("the doctor got seq " + message.path("seq").asLong() + ", expected " + expected);
                }
                expected++;
                delivered.incrementAndGet();
                long sentAt = Long.parseLong(message.path("body").asText());
                latencies.computeIfAbsent(phase, p -> new ConcurrentLinkedQueue<>()).add(arrived - sentAt);
            }
        } catch (Throwable t) {
            if (!stopping) {
                failure.compareAndSet(null, t);
            }
        }
    }

    /**
     * The next text frame, answering the server's pings on the way: a client that does not is
     * dropped after the server's connection-lost timeout (60 s in the demo), which a soak outlasts.
     */
    private static String readText(RawWebSocket socket) throws IOException {
        while (true) {
            RawWebSocket.Frame frame = socket.readFrame();
            switch (frame.opcode()) {
                case RawWebSocket.TEXT -> {
                    return frame.text();
                }
                case RawWebSocket.PING -> socket.sendFrame(PONG, true, frame.payload());
                case RawWebSocket.CLOSE -> throw new IOException("closed with " + frame.closeCode());
                default -> {
                    // nothing else is expected; skip it
                }
            }
        }
    }

    /** Fails with the first failure so far, if any. */
    void assertHealthy() {
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("the well-behaved users' chat failed in phase " + phase, t);
        }
    }

    /** @return messages acknowledged so far */
    long acknowledged() {
        return acknowledged.get();
    }

    /** @return messages the doctor received so far */
    long delivered() {
        return delivered.get();
    }

    /** One line per phase: deliveries, p50, p99 and the slowest, in milliseconds. */
    String report() {
        List<String> lines = new ArrayList<>();
        latencies.forEach((name, values) -> {
            List<Long> sorted = new ArrayList<>(values);
            sorted.sort(null);
            if (sorted.isEmpty()) {
                return;
            }
            lines.add(String.format(Locale.ROOT, "%s: %d delivered, p50 %.1f ms, p99 %.1f ms, max %.1f ms", name,
                    sorted.size(), millis(sorted, 0.50), millis(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6));
        });
        lines.sort(null);
        return String.join("\n", lines);
    }

    private static double millis(List<Long> sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    /** Stops sending, waits briefly for the last deliveries, and closes both sockets. */
    @Override
    public void close() throws IOException {
        stopping = true;
        try {
            sender.join(RawWebSocket.READ_TIMEOUT.toMillis());
            long deadline = System.nanoTime() + RawWebSocket.READ_TIMEOUT.toNanos();
            while (delivered.get() < acknowledged.get() && System.nanoTime() < deadline && failure.get() == null) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            patient.close();
            doctor.close();
        }
    }
}

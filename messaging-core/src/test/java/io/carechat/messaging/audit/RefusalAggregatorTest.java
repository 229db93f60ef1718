package io.carechat.messaging.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditSink;
import io.carechat.messaging.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RefusalAggregator")
class RefusalAggregatorTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final MutableClock clock = new MutableClock(T0);
    private final List<AuditEvent> kept = new ArrayList<>();
    private final AuditSink sink = kept::add;
    private final RefusalAggregator aggregator = new RefusalAggregator(sink, clock, WINDOW);

    private AuditEvent rejected(String address, String reason, String requestId) {
        return AuditEvent.builder(clock.instant(), "token.rejected", AuditEvent.Outcome.FAILURE)
                .client(address, null, requestId).reason(reason).build();
    }

    private static int sum(List<AuditEvent> events) {
        return events.stream().mapToInt(AuditEvent::count).sum();
    }

    @Test
    @DisplayName("the first refusal of a kind is kept at once; the identical ones after it in the window become one event with their count when it ends")
    void identicalRefusalsBecomeOneEventPerWindow() {
        aggregator.record(rejected("192.0.2.7", "bad_signature", "r-0"));
        assertThat(kept).singleElement().satisfies(e -> assertThat(e.count()).isEqualTo(1));

        for (int i = 1; i < 50; i++) {
            clock.advance(Duration.ofMillis(100));
            aggregator.record(rejected("192.0.2.7", "bad_signature", "r-" + i));
        }
        assertThat(kept).as("the rest wait for the window's end").hasSize(1);

        clock.advance(WINDOW);
        aggregator.flushDue();
        assertThat(kept).hasSize(2);
        AuditEvent aggregate = kept.get(1);
        assertThat(aggregate.count()).isEqualTo(49);
        assertThat(aggregate.time()).as("the first aggregated refusal's time").isEqualTo(T0.plusMillis(100));
        assertThat(aggregate.requestId()).as("no one request's id").isNull();
        assertThat(aggregate.clientAddress()).isEqualTo("192.0.2.7");
        assertThat(aggregate.reason()).isEqualTo("bad_signature");
        assertThat(sum(kept)).isEqualTo(50);
    }

    @Test
    @DisplayName("refusals that differ in address or reason are counted apart")
    void differentKindsAreKeptApart() {
        for (int i = 0; i < 3; i++) {
            aggregator.record(rejected("192.0.2.7", "bad_signature", null));
            aggregator.record(rejected("192.0.2.8", "bad_signature", null));
            aggregator.record(rejected("192.0.2.7", "expired", null));
        }
        clock.advance(WINDOW);
        aggregator.flushDue();
        assertThat(kept).hasSize(6);
        assertThat(kept).filteredOn(e -> "192.0.2.8".equals(e.clientAddress())).extracting(AuditEvent::count)
                .containsExactly(1, 2);
        assertThat(kept).filteredOn(e -> "expired".equals(e.reason())).extracting(AuditEvent::count)
                .containsExactly(1, 2);
    }

    @Test
    @DisplayName("a lone refusal leaves nothing pending, and a new window opens after the old one ended")
    void windowsFollowOneAnother() {
        aggregator.record(rejected("192.0.2.7", "bad_signature", null));
        clock.advance(WINDOW);
        aggregator.flushDue();
        assertThat(kept).hasSize(1);

        aggregator.record(rejected("192.0.2.7", "bad_signature", null));
        aggregator.record(rejected("192.0.2.7", "bad_signature", null));
        assertThat(kept).as("the first of the new window at once").hasSize(2);
        clock.advance(WINDOW);
        aggregator.record(rejected("192.0.2.9", "expired", null));
        assertThat(kept).as("any refusal also ends windows that ran out").extracting(AuditEvent::count)
                .containsExactly(1, 1, 1, 1);
    }

    @Test
    @DisplayName("closing keeps every pending count, and refusals after closing are kept at once")
    void closeLosesNothing() {
        for (int i = 0; i < 10; i++) {
            aggregator.record(rejected("192.0.2.7", "bad_signature", null));
        }
        aggregator.close();
        assertThat(kept).extracting(AuditEvent::count).containsExactly(1, 9);

        aggregator.record(rejected("192.0.2.7", "bad_signature", null));
        aggregator.record(rejected("192.0.2.7", "bad_signature", null));
        assertThat(kept).extracting(AuditEvent::count).containsExactly(1, 9, 1, 1);
    }

    @Test
    @DisplayName("a sink that fails loses the event but not the refusal: recording does not throw")
    void sinkFailureIsContained() {
        RefusalAggregator failing = new RefusalAggregator(event -> {
            throw new IllegalStateException("audit store down");
        }, clock, WINDOW);
        failing.record(rejected("192.0.2.7", "bad_signature", null));
        failing.record(rejected("192.0.2.7", "bad_signature", null));
        failing.close();
    }

    @Test
    @DisplayName("at most MAX_PENDING kinds wait in open windows; beyond that each refusal is kept at once")
    void pendingKindsAreBounded() {
        for (int i = 0; i < RefusalAggregator.MAX_PENDING; i++) {
            aggregator.record(rejected("10.0." + (i / 256) + "." + (i % 256), "bad_signature", null));
        }
        kept.clear();
        aggregator.record(rejected("203.0.113.1", "bad_signature", null));
        aggregator.record(rejected("203.0.113.1", "bad_signature", null));
        assertThat(kept).as("no room to aggregate: both kept at once").extracting(AuditEvent::count)
                .containsExactly(1, 1);
    }

    @Test
    @DisplayName("through an AuditRecorder, recordRefusal aggregates and record does not")
    void recorderAggregatesRefusalsOnly() {
        AuditRecorder recorder = new AuditRecorder(sink, clock, aggregator);
        for (int i = 0; i < 3; i++) {
            recorder.recordRefusal(rejected("192.0.2.7", "bad_signature", null));
            recorder.record(AuditEvent.builder(clock.instant(), "message.read", AuditEvent.Outcome.SUCCESS).build());
        }
        assertThat(kept).extracting(AuditEvent::action).containsExactly("token.rejected", "message.read",
                "message.read", "message.read");
    }
}

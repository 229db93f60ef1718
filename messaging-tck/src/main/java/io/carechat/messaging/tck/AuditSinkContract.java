package io.carechat.messaging.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.AuditSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit for {@link AuditSink}: every implementation passes it. Subclass it and
 * implement {@link #newSink()} and {@link #recorded(AuditSink)}, which reads the events back. Not
 * thread-safe itself: JUnit makes one instance per test, which calls {@link #newSink()} before the
 * test; a subclass that holds resources releases them in an {@code @AfterEach} method.
 */
public abstract class AuditSinkContract {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private AuditSink sink;

    /**
     * Creates an empty sink for one test.
     *
     * @return the sink under test
     */
    protected abstract AuditSink newSink();

    /**
     * Reads back what the sink kept.
     *
     * @param sink the sink
     * @return its events, oldest first
     */
    protected abstract List<AuditEvent> recorded(AuditSink sink);

    @BeforeEach
    void createSink() {
        sink = newSink();
    }

    /**
     * The sink made for the running test.
     *
     * @return the sink
     */
    protected final AuditSink sink() {
        return sink;
    }

    private static AuditEvent event(int n) {
        return AuditEvent.builder(T0.plusSeconds(n), "auth.login", AuditEvent.Outcome.FAILURE)
                .client("192.0.2." + (n % 250), "web", "req-" + n)
                .reason("wrong_password")
                .build();
    }

    @Nested
    @DisplayName("keeping events")
    class Keeping {
        @Test
        @DisplayName("an event is kept with every field")
        void everyField() {
            AuditEvent event = AuditEvent.builder(T0, "role.approve", AuditEvent.Outcome.SUCCESS)
                    .actor(UserId.of("admin-1"), Set.of(Role.ADMIN))
                    .client("2001:db8::1", "web", "req-42")
                    .object("role_request", "rr-7")
                    .patient(UserId.of("patient-3"))
                    .reason("granted")
                    .build();
            sink.record(event);
            assertThat(recorded(sink)).containsExactly(event);
        }

        @Test
        @DisplayName("events come back in the order they were recorded")
        void order() {
            List<AuditEvent> events = List.of(event(3), event(1), event(2));
            events.forEach(sink::record);
            assertThat(recorded(sink)).containsExactlyElementsOf(events);
        }

        @Test
        @DisplayName("events recorded from many threads at once are all kept")
        void concurrent() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int base = t * 50;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < 50; i++) {
                            sink.record(event(base + i));
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(recorded(sink)).hasSize(200).doesNotHaveDuplicates();
        }
    }
}

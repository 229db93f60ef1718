package io.carechat.messaging.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.jobs.JobStatus;
import io.carechat.messaging.spi.JobRecord;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The scheduled jobs as meters: running, processed, last success and end, tagged by job name only")
class JobMetricsTest {
    private static final Instant ENDED = Instant.parse("2026-12-01T03:00:00Z");

    @Test
    @DisplayName("each job the scheduler lists gets its gauges, which follow its status")
    void gaugesFollowTheStatus() {
        MockClock clock = new MockClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        AtomicReference<List<JobStatus>> status = new AtomicReference<>(List.of(
                new JobStatus("retention", Duration.ofDays(1), false, null, null, null, null, null, 0, false),
                new JobStatus("key-rotation", Duration.ofDays(1), true, "node-1", ENDED.minusSeconds(60), null,
                        JobRecord.Outcome.RUNNING, null, 420, true)));
        new MicrometerMetrics(registry).watchJobs(status::get);

        assertThat(gauge(registry, MicrometerMetrics.JOB_RUNNING, "key-rotation")).isEqualTo(1);
        assertThat(gauge(registry, MicrometerMetrics.JOB_PROCESSED, "key-rotation")).isEqualTo(420);
        assertThat(gauge(registry, MicrometerMetrics.JOB_LAST_SUCCESS, "retention")).as("never ran").isNaN();
        assertThat(gauge(registry, MicrometerMetrics.JOB_RUNNING, "retention")).isZero();

        status.set(List.of(
                new JobStatus("retention", Duration.ofDays(1), false, null, ENDED.minusSeconds(5), ENDED,
                        JobRecord.Outcome.FAILED, "java.io.UncheckedIOException", 17, true),
                new JobStatus("key-rotation", Duration.ofDays(1), false, null, ENDED.minusSeconds(60), ENDED,
                        JobRecord.Outcome.OK, null, 900, false)));
        assertThat(gauge(registry, MicrometerMetrics.JOB_RUNNING, "key-rotation"))
                .as("the status is read again at most once a second").isEqualTo(1);
        clock.add(Duration.ofMillis(1_001));

        assertThat(gauge(registry, MicrometerMetrics.JOB_LAST_SUCCESS, "retention")).isZero();
        assertThat(gauge(registry, MicrometerMetrics.JOB_LAST_SUCCESS, "key-rotation")).isEqualTo(1);
        assertThat(gauge(registry, MicrometerMetrics.JOB_LAST_END, "key-rotation")).isEqualTo(ENDED.getEpochSecond());
        assertThat(gauge(registry, MicrometerMetrics.JOB_RUNNING, "key-rotation")).isZero();
        assertThat(registry.getMeters()).filteredOn(m -> m.getId().getName().startsWith("carechat.jobs."))
                .hasSize(8).allSatisfy(m -> assertThat(m.getId().getTags())
                        .allSatisfy(t -> assertThat(t.getKey()).isEqualTo("job")));
    }

    private static double gauge(SimpleMeterRegistry registry, String name, String job) {
        return registry.get(name).tag("job", job).gauge().value();
    }
}

package io.carechat.messaging.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.jobs.JobRun;
import io.carechat.messaging.jobs.JobScheduler;
import io.carechat.messaging.jobs.JobStatus;
import io.carechat.messaging.jobs.ScheduledJob;
import io.carechat.messaging.spi.JobLeaseStore;
import io.carechat.messaging.spi.JobRecord;
import io.carechat.messaging.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit for {@link JobLeaseStore}, and for the {@link JobScheduler} on top of it.
 * Subclass it and return a fresh, empty store from {@link #createStore()}, such as the
 * {@link io.carechat.messaging.spi.MessagingStorage#jobLeases()} of a fresh storage. Not thread-safe
 * itself: JUnit makes one instance per test, which calls {@link #createStore()} before the test and
 * {@link #disposeStore()} after it.
 */
@DisplayName("JobLeaseStore contract")
public abstract class JobLeaseStoreContract {
    private static final Instant T0 = Instant.parse("2026-12-01T02:00:00Z");
    private static final String JOB = "retention";

    private JobLeaseStore store;

    /**
     * Makes a fresh, empty store.
     *
     * @return the store
     */
    protected abstract JobLeaseStore createStore();

    /** Releases what {@link #createStore()} made; the default does nothing. */
    protected void disposeStore() {}

    @BeforeEach
    void create() {
        store = createStore();
    }

    @AfterEach
    void dispose() {
        disposeStore();
    }

    private static Instant at(int second) {
        return T0.plusSeconds(second);
    }

    /** Claims at {@code second} with a 60-second lease; due if the last run ended an hour before. */
    private Optional<JobRecord> claim(String holder, int second) {
        return store.claim(JOB, holder, at(second), at(second + 60), at(second - 3600));
    }

    /** The lease: one holder at a time, taken over when it ends. */
    @Nested
    @DisplayName("the lease")
    class Lease {

        @Test
        @DisplayName("a job never run is claimed by the first node, and refused to a second while the lease holds")
        void oneHolder() {
            Optional<JobRecord> first = claim("node-a", 0);

            assertThat(first).hasValueSatisfying(row -> {
                assertThat(row.holder()).isEqualTo("node-a");
                assertThat(row.leaseUntil()).isEqualTo(at(60));
                assertThat(row.startedAt()).isEqualTo(at(0));
                assertThat(row.outcome()).isEqualTo(JobRecord.Outcome.RUNNING);
                assertThat(row.cursor()).isNull();
            });
            assertThat(claim("node-b", 30)).isEmpty();
            assertThat(claim("node-a", 30)).as("not even the holder claims twice").isEmpty();
        }

        @Test
        @DisplayName("of nodes claiming the same job at the same moment, exactly one gets it")
        void concurrentClaims() {
            List<Boolean> won = Concurrently.run(8, i -> () -> claim("node-" + i, 0).isPresent());

            assertThat(won).filteredOn(Boolean::booleanValue).hasSize(1);
        }

        @Test
        @DisplayName("a checkpoint renews the lease, so another node cannot take it at the old end")
        void checkpointRenews() {
            claim("node-a", 0);

            assertThat(store.checkpoint(JOB, "node-a", at(120), "c1", 10)).isTrue();

            assertThat(claim("node-b", 90)).isEmpty();
        }

        @Test
        @DisplayName("an expired lease is taken over with the dead holder's cursor, count and start")
        void expiredLeaseTakenOver() {
            claim("node-a", 0);
            store.checkpoint(JOB, "node-a", at(60), "conversation-7", 500);

            Optional<JobRecord> taken = claim("node-b", 60);

            assertThat(taken).hasValueSatisfying(row -> {
                assertThat(row.holder()).isEqualTo("node-b");
                assertThat(row.cursor()).isEqualTo("conversation-7");
                assertThat(row.processed()).isEqualTo(500);
                assertThat(row.startedAt()).isEqualTo(at(0));
                assertThat(row.leaseUntil()).isEqualTo(at(120));
            });
        }

        @Test
        @DisplayName("a holder that lost its lease can neither save progress nor record an outcome")
        void lostHolderIsFenced() {
            claim("node-a", 0);
            claim("node-b", 61);
            store.checkpoint(JOB, "node-b", at(130), "b-cursor", 7);

            assertThat(store.checkpoint(JOB, "node-a", at(200), "a-cursor", 99)).isFalse();
            assertThat(store.finish(JOB, "node-a", at(70), JobRecord.Outcome.OK, null, null, 99)).isFalse();

            assertThat(store.all()).singleElement().satisfies(row -> {
                assertThat(row.holder()).isEqualTo("node-b");
                assertThat(row.cursor()).isEqualTo("b-cursor");
                assertThat(row.processed()).isEqualTo(7);
            });
        }
    }

    /** Runs: when a job is due again, and what it resumes from. */
    @Nested
    @DisplayName("runs")
    class Runs {

        @Test
        @DisplayName("a completed run releases the lease; the job is due again only once its interval has passed")
        void completedRunWaitsForInterval() {
            claim("node-a", 0);
            assertThat(store.finish(JOB, "node-a", at(10), JobRecord.Outcome.OK, null, null, 42)).isTrue();

            assertThat(store.claim(JOB, "node-b", at(20), at(80), at(9))).as("ended after the bound").isEmpty();
            Optional<JobRecord> next = store.claim(JOB, "node-b", at(20), at(80), at(10));

            assertThat(next).hasValueSatisfying(row -> {
                assertThat(row.startedAt()).isEqualTo(at(20));
                assertThat(row.endedAt()).isEqualTo(at(10));
                assertThat(row.cursor()).isNull();
                assertThat(row.processed()).isZero();
            });
        }

        @Test
        @DisplayName("a finished run's end, outcome, error kind and count are kept and listed")
        void outcomeKept() {
            claim("node-a", 0);
            store.checkpoint(JOB, "node-a", at(60), "page-3", 300);
            store.finish(JOB, "node-a", at(5), JobRecord.Outcome.FAILED,
                    "io.carechat.messaging.error.UnavailableException", "page-3", 300);

            assertThat(store.all()).singleElement().satisfies(row -> {
                assertThat(row.jobName()).isEqualTo(JOB);
                assertThat(row.holder()).isNull();
                assertThat(row.leaseUntil()).isNull();
                assertThat(row.startedAt()).isEqualTo(at(0));
                assertThat(row.endedAt()).isEqualTo(at(5));
                assertThat(row.outcome()).isEqualTo(JobRecord.Outcome.FAILED);
                assertThat(row.errorKind()).isEqualTo("io.carechat.messaging.error.UnavailableException");
                assertThat(row.cursor()).isEqualTo("page-3");
                assertThat(row.processed()).isEqualTo(300);
            });
        }

        @Test
        @DisplayName("the next run after a failed one resumes from its cursor and count")
        void failedRunResumes() {
            claim("node-a", 0);
            store.finish(JOB, "node-a", at(5), JobRecord.Outcome.FAILED, "java.lang.IllegalStateException", "p2", 20);

            assertThat(claim("node-b", 3700)).hasValueSatisfying(row -> {
                assertThat(row.cursor()).isEqualTo("p2");
                assertThat(row.processed()).isEqualTo(20);
            });
        }

        @Test
        @DisplayName("a stopped run is due at once, on any node, from its cursor")
        void stoppedRunDueAtOnce() {
            claim("node-a", 0);
            store.finish(JOB, "node-a", at(5), JobRecord.Outcome.STOPPED, null, "p9", 90);

            assertThat(claim("node-b", 6)).hasValueSatisfying(row -> assertThat(row.cursor()).isEqualTo("p9"));
        }

        @Test
        @DisplayName("jobs are independent, and listed by name")
        void jobsIndependent() {
            claim("node-a", 0);
            assertThat(store.claim("key-rotation", "node-b", at(0), at(60), at(-3600))).isPresent();

            assertThat(store.all()).extracting(JobRecord::jobName).containsExactly("key-rotation", JOB);
        }
    }

    /** Bad input. */
    @Nested
    @DisplayName("bad input")
    class BadInput {

        @Test
        @DisplayName("blank or too long names, a lease not after now, a too long cursor and a RUNNING outcome are refused")
        void refused() {
            assertThatThrownBy(() -> store.claim(" ", "node-a", at(0), at(60), at(0)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.claim("x".repeat(65), "node-a", at(0), at(60), at(0)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.claim(JOB, "h".repeat(129), at(0), at(60), at(0)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.claim(JOB, "node-a", at(0), at(0), at(0)))
                    .isInstanceOf(IllegalArgumentException.class);
            claim("node-a", 0);
            assertThatThrownBy(() -> store.checkpoint(JOB, "node-a", at(60), "c".repeat(2049), 1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.checkpoint(JOB, "node-a", at(60), null, -1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.finish(JOB, "node-a", at(5), JobRecord.Outcome.RUNNING, null, null, 0))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("a cursor of the longest length is kept whole")
        void longestCursorKept() {
            claim("node-a", 0);
            String cursor = "c".repeat(JobLeaseStore.MAX_CURSOR);

            assertThat(store.checkpoint(JOB, "node-a", at(60), cursor, 1)).isTrue();

            assertThat(store.all()).singleElement().extracting(JobRecord::cursor).isEqualTo(cursor);
        }
    }

    /** Two schedulers over this store, as two nodes of a cluster. */
    @Nested
    @DisplayName("two schedulers sharing the store")
    class TwoSchedulers {
        private final MutableClock clock = new MutableClock(T0);

        private JobScheduler node(String holder, ScheduledJob job) {
            return JobScheduler.builder().leaseStore(store).clock(clock).holder(holder)
                    .lease(Duration.ofMinutes(1)).job(job, Duration.ofHours(1)).build();
        }

        @Test
        @DisplayName("while one node runs a job, the other's poll does not run it")
        void onlyOneRuns() throws Exception {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger runs = new AtomicInteger();
            ScheduledJob blocking = new PagedJob(JOB, 1) {
                @Override
                public void run(JobRun run) {
                    runs.incrementAndGet();
                    started.countDown();
                    await(release);
                }
            };
            JobScheduler a = node("node-a", blocking);
            JobScheduler b = node("node-b", blocking);
            Thread first = new Thread(a::runDueJobs);
            first.start();
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

            assertThat(b.runDueJobs()).isEmpty();
            assertThat(b.status()).singleElement().satisfies(s -> {
                assertThat(s.running()).isTrue();
                assertThat(s.holder()).isEqualTo("node-a");
            });
            release.countDown();
            first.join(30_000);

            assertThat(runs).hasValue(1);
            assertThat(b.runDueJobs()).as("not due again before its interval").isEmpty();
            clock.advance(Duration.ofHours(1));
            assertThat(b.runDueJobs()).containsExactly(JOB);
        }

        @Test
        @DisplayName("a run whose node died midway is taken over once its lease ends, and resumes from its last checkpoint")
        void resumesAfterCrash() {
            PagedJob dying = new PagedJob(JOB, 10).dieAfterPage(4);
            JobScheduler a = node("node-a", dying);
            assertThatThrownBy(a::runDueJobs).isInstanceOf(NodeDied.class);
            assertThat(dying.pagesDone).containsExactly(0, 1, 2, 3);

            PagedJob survivor = new PagedJob(JOB, 10);
            JobScheduler b = node("node-b", survivor);
            assertThat(b.runDueJobs()).as("the dead node's lease still holds").isEmpty();
            clock.advance(Duration.ofMinutes(1));
            assertThat(b.runDueJobs()).containsExactly(JOB);

            assertThat(survivor.pagesDone).containsExactly(4, 5, 6, 7, 8, 9);
            assertThat(b.status()).singleElement().satisfies(s -> {
                assertThat(s.outcome()).isEqualTo(JobRecord.Outcome.OK);
                assertThat(s.processed()).isEqualTo(10);
                assertThat(s.resumable()).isFalse();
                assertThat(s.startedAt()).isEqualTo(T0);
                assertThat(s.endedAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
            });
        }

        @Test
        @DisplayName("a failed run is recorded with its error's class only, and the next run resumes it")
        void failedRunRecordedAndResumed() {
            PagedJob failing = new PagedJob(JOB, 6).failAfterPage(2);
            JobScheduler a = node("node-a", failing);
            assertThat(a.runDueJobs()).containsExactly(JOB);

            JobStatus failed = a.status().get(0);
            assertThat(failed.outcome()).isEqualTo(JobRecord.Outcome.FAILED);
            assertThat(failed.errorKind()).isEqualTo(IllegalStateException.class.getName());
            assertThat(failed.resumable()).isTrue();
            assertThat(failed.processed()).isEqualTo(2);

            PagedJob next = new PagedJob(JOB, 6);
            JobScheduler b = node("node-b", next);
            clock.advance(Duration.ofHours(1));
            b.runDueJobs();
            assertThat(next.pagesDone).containsExactly(2, 3, 4, 5);
        }

        @Test
        @DisplayName("a node closed while running stops at its next checkpoint; another node resumes at once")
        void closedNodeStopsAndOtherResumes() {
            List<JobScheduler> self = new ArrayList<>();
            PagedJob closing = new PagedJob(JOB, 5) {
                @Override
                void afterPage(int page) {
                    if (page == 1) {
                        self.get(0).close();
                    }
                }
            };
            JobScheduler a = node("node-a", closing);
            self.add(a);
            a.runDueJobs();
            assertThat(closing.pagesDone).containsExactly(0, 1);
            assertThat(a.status().get(0).outcome()).isEqualTo(JobRecord.Outcome.STOPPED);

            PagedJob next = new PagedJob(JOB, 5);
            node("node-b", next).runDueJobs();
            assertThat(next.pagesDone).containsExactly(2, 3, 4);
        }
    }

    /** Thrown by a job to stand for its node dying: the scheduler neither catches it nor records anything. */
    private static final class NodeDied extends Error {
        private static final long serialVersionUID = 1L;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A job over {@code pages} numbered pages, its cursor the next page's number. */
    private static class PagedJob implements ScheduledJob {
        private final String name;
        private final int pages;
        private int dieAfter = -1;
        private int failAfter = -1;
        final List<Integer> pagesDone = new ArrayList<>();

        PagedJob(String name, int pages) {
            this.name = name;
            this.pages = pages;
        }

        PagedJob dieAfterPage(int count) {
            dieAfter = count;
            return this;
        }

        PagedJob failAfterPage(int count) {
            failAfter = count;
            return this;
        }

        void afterPage(int page) {}

        @Override
        public String name() {
            return name;
        }

        @Override
        public void run(JobRun run) {
            @Nullable String cursor = run.cursor();
            long processed = run.processed();
            for (int page = cursor == null ? 0 : Integer.parseInt(cursor); page < pages; page++) {
                if (page == dieAfter) {
                    throw new NodeDied();
                }
                if (page == failAfter) {
                    throw new IllegalStateException("page " + page + " could not be read");
                }
                pagesDone.add(page);
                processed++;
                afterPage(page);
                if (!run.checkpoint(String.valueOf(page + 1), processed)) {
                    return;
                }
            }
        }
    }
}

package io.carechat.benchmarks.history;

import io.carechat.benchmarks.MachineDescription;
import io.carechat.messaging.Messaging;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.jdbc.JdbcStorage;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.MessagingLimits;
import io.carechat.messaging.model.Rate;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;

/**
 * The history-size benchmark: does CareChat on PostgreSQL answer as fast with five million messages
 * stored as with half a million? In a database of its own, migrated by the product's Flyway
 * migrations, it bulk-loads users, direct conversations and sealed messages
 * ({@link BulkLoader}), and at each size measures p50 and p99 of four calls through the
 * {@link Messaging} facade on {@link JdbcStorage}: a doctor's unread total, a doctor's conversation
 * list, a patient's newest history page and a patient's send, each warmed up first, one call at a
 * time. It records the SQL each call runs ({@link StatementRecorder}) and shows its plan with
 * {@code EXPLAIN (ANALYZE, BUFFERS)} ({@link PlanExplainer}). Writes
 * {@code docs/benchmarks-history.md} and {@code docs/benchmarks-history.png}, then drops the
 * database.
 *
 * <p>Run with {@code java -jar benchmarks/target/carechat-benchmarks.jar history [--quick]} and
 * {@code CARECHAT_BENCH_POSTGRES_URL} set. Not thread-safe; one run at a time per instance.
 */
public final class HistoryBenchmark {
    private static final String USAGE = "usage: java -jar carechat-benchmarks.jar history [--quick] [--root DIR]"
            + " (needs CARECHAT_BENCH_POSTGRES_URL; writes DIR/docs/benchmarks-history.md and .png, DIR defaults to .)";
    private static final Duration AFTER_CAPTURE = Duration.ofMillis(300);
    /**
     * The history page's size: the fewest messages a conversation holds at the smallest full-mode
     * size (10), so every page read is full at every size and the sizes compare like with like.
     */
    static final int HISTORY_PAGE = 10;

    private final HistoryOptions options;
    private final Random random = new Random(16);
    private long sent;

    HistoryBenchmark(HistoryOptions options) {
        this.options = options;
    }

    /**
     * Runs the benchmark from the command line.
     *
     * @param args {@code --quick}, {@code --root DIR}
     * @throws Exception if the run fails
     */
    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        HistoryOptions options;
        try {
            options = HistoryOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        String url = System.getenv("CARECHAT_BENCH_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            System.err.println("history needs PostgreSQL: set CARECHAT_BENCH_POSTGRES_URL, e.g."
                    + " jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
            System.exit(2);
            return;
        }
        Result result = new HistoryBenchmark(options).run(url);
        System.out.printf(Locale.ROOT, "%nwrote %s and %s in %d s%n", result.report(), result.plot(),
                result.took().toSeconds());
    }

    /**
     * What a run wrote and measured.
     *
     * @param report the Markdown report
     * @param plot the PNG
     * @param sizes each measured size
     * @param sent messages sent through the product across all sizes (warm-up included)
     * @param took the whole run
     */
    record Result(Path report, Path plot, List<HistorySize> sizes, long sent, Duration took) {}

    /**
     * Creates the database, loads and measures each size, writes the report and drops the database.
     *
     * @param serverUrl a PostgreSQL JDBC URL; the run's database is created on the same server
     * @return what was written
     * @throws Exception if loading, measuring or writing fails
     */
    Result run(String serverUrl) throws Exception {
        Instant began = Instant.now();
        String machine = MachineDescription.describe();
        List<HistorySize> sizes = new ArrayList<>();
        StaticKeyProvider keys = StaticKeyProvider.generate("history");
        try (HistoryDatabase database = HistoryDatabase.create(serverUrl)) {
            StatementRecorder recorder = new StatementRecorder(database.dataSource());
            try (JdbcStorage storage = JdbcStorage.builder(recorder).build();
                    InMemoryEventBus bus = new InMemoryEventBus();
                    Messaging messaging = Messaging.builder().storage(storage).eventBus(bus)
                            .limits(MessagingLimits.builder().sendRate(Rate.MAX, Rate.MAX)
                                    .historyRate(Rate.MAX, Rate.MAX).build())
                            .auditSink(storage.auditTrail()).keyProvider(keys).build()) {
                BulkLoader loader = new BulkLoader(database.dataSource(), keys, options.bodyChars());
                log("loading %,d conversations into %s", options.conversations(), database.name());
                Population population = loader.loadPopulation(options.conversations(), options.conversationsPerDoctor());
                int loadedPerConversation = 0;
                for (int i = 0; i < options.messagesPerConversation().size(); i++) {
                    int target = options.messagesPerConversation().get(i);
                    log("loading messages up to %,d", options.messagesAt(i));
                    Instant loadStart = Instant.now();
                    loader.loadMessages(population, target - loadedPerConversation);
                    loadedPerConversation = target;
                    Duration loadTime = Duration.between(loadStart, Instant.now());
                    Map<String, Long> rows = loader.counts();
                    log("loaded in %d s: %s", loadTime.toSeconds(), rows);
                    sizes.add(measure(messaging, recorder, database, population, options.messagesAt(i), rows, loadTime));
                }
            }
        }
        Files.createDirectories(options.docsDir());
        Path report = options.docsDir().resolve(HistoryOptions.REPORT);
        Path plot = options.docsDir().resolve(HistoryOptions.PLOT);
        Duration took = Duration.between(began, Instant.now());
        HistoryPlot.write(sizes, "History size: p50 and p99 per call at each size (" + options.mode() + " run)", plot);
        Files.writeString(report, HistoryReport.markdown(options, sizes, machine, began, took));
        return new Result(report, plot, List.copyOf(sizes), sent, took);
    }

    private HistorySize measure(Messaging messaging, StatementRecorder recorder, HistoryDatabase database,
            Population population, long nominal, Map<String, Long> rows, Duration loadTime) throws Exception {
        Map<HistoryQuery, Latency> latencies = new EnumMap<>(HistoryQuery.class);
        Map<HistoryQuery, List<PlanExplainer.Plan>> plans = new EnumMap<>(HistoryQuery.class);
        // The load's garbage is collected now rather than during the samples.
        System.gc();
        double loadAverage = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        for (int i = 0; i < options.warmup(); i++) {
            for (HistoryQuery query : HistoryQuery.values()) {
                call(messaging, population, query);
            }
        }
        Map<HistoryQuery, Histogram> micros = new EnumMap<>(HistoryQuery.class);
        for (HistoryQuery query : HistoryQuery.values()) {
            micros.put(query, new Histogram(3_600_000_000L, 3));
        }
        // The calls take turns, so a burst of other work on the machine falls on all of them alike.
        for (int i = 0; i < options.samples(); i++) {
            for (HistoryQuery query : HistoryQuery.values()) {
                long start = System.nanoTime();
                call(messaging, population, query);
                micros.get(query).recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
            }
        }
        for (HistoryQuery query : HistoryQuery.values()) {
            Latency latency = Latency.of(micros.get(query));
            latencies.put(query, latency);
            log("%,d messages, %s: p50 %.2f ms, p99 %.2f ms", nominal, query.label(), latency.p50Millis(),
                    latency.p99Millis());
            recorder.start();
            call(messaging, population, query);
            Thread.sleep(AFTER_CAPTURE.toMillis());
            plans.put(query, PlanExplainer.explain(database.dataSource(), recorder.stop()));
        }
        return new HistorySize(nominal, rows, loadTime, loadAverage, latencies, plans);
    }

    private void call(Messaging messaging, Population population, HistoryQuery query) {
        switch (query) {
            case UNREAD_TOTAL -> messaging.unread(Caller.of(doctor(population)));
            case CONVERSATION_LIST -> messaging.conversations(Caller.of(doctor(population)));
            case HISTORY_PAGE -> {
                int i = random.nextInt(population.conversations().size());
                messaging.history(Caller.of(population.patients().get(i)), population.conversations().get(i), null,
                        HISTORY_PAGE);
            }
            case SEND -> {
                int i = random.nextInt(population.conversations().size());
                ConversationId chat = population.conversations().get(i);
                messaging.send(Caller.of(population.patients().get(i)), SendRequest.text(chat, "measured-" + sent,
                        "A measured message, number " + sent + ", from a patient to their doctor."));
                sent++;
            }
        }
    }

    private User doctor(Population population) {
        return population.doctors().get(random.nextInt(population.doctors().size()));
    }

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[history] " + format + "%n", args);
    }
}

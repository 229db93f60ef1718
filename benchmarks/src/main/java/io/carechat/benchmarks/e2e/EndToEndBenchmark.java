package io.carechat.benchmarks.e2e;

import io.carechat.benchmarks.Database;
import io.carechat.benchmarks.MachineDescription;
import io.carechat.benchmarks.Measurement;
import io.carechat.benchmarks.SendThroughput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The end-to-end benchmark ({@code java -jar benchmarks/target/carechat-benchmarks.jar e2e [--quick]}):
 * measures CareChat's in-process send against the database's batched-INSERT ceiling, then steps
 * the offered rate on the Java-WebSocket relay, the Socket.IO relay, and CareChat's demo server on
 * H2 and on PostgreSQL, and writes {@code docs/benchmarks.md} and {@code docs/benchmarks-p99.png}.
 * PostgreSQL and the Socket.IO relay are skipped, with a message, when unavailable. Bounded: every
 * step is bounded in time, no step starts after the run's budget, and every process it starts is
 * stopped when the run ends or the JVM exits. Not thread-safe; run once per JVM.
 */
public final class EndToEndBenchmark {
    /** The README's one line that builds everything and runs the quick benchmark. */
    static final String README_LINE = "mvn -q -DskipTests package && java -jar benchmarks/target/carechat-benchmarks.jar"
            + " e2e --quick";

    private static final String REPORT = "benchmarks.md";
    private static final String PLOT = "benchmarks-p99.png";

    private final E2eOptions options;
    private final Path workDir;
    private final List<String> notes = new ArrayList<>();

    private EndToEndBenchmark(E2eOptions options, Path workDir) {
        this.options = options;
        this.workDir = workDir;
    }

    /**
     * Runs the benchmark and exits with 0 when it completed, 1 when it failed, 2 for bad usage.
     *
     * @param args the flags after {@code e2e}; see {@code --help}
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.exit(run(Arrays.asList(args)));
    }

    static int run(List<String> args) {
        if (args.contains("--help") || args.contains("-h")) {
            System.out.println(E2eOptions.USAGE);
            return 0;
        }
        E2eOptions options;
        try {
            options = E2eOptions.parse(args, System.getenv("CARECHAT_BENCH_POSTGRES_URL"), Path.of(""));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(E2eOptions.USAGE);
            return 2;
        }
        if (!Files.isRegularFile(options.demoJar())) {
            System.err.println("no demo server at " + options.demoJar() + "; build it first: mvn -q -DskipTests package");
            return 2;
        }
        Path workDir = options.root().resolve("benchmarks").resolve("target").resolve("e2e-run");
        try {
            deleteQuietly(workDir);
            Files.createDirectories(workDir);
            return new EndToEndBenchmark(options, workDir).runAll();
        } catch (Exception e) {
            System.err.println("the benchmark failed: " + e);
            return 1;
        }
    }

    private int runAll() throws Exception {
        Instant started = Instant.now();
        long deadline = System.nanoTime() + options.budget().toNanos();
        System.out.printf(Locale.ROOT, "CareChat end-to-end benchmark, %s mode, %d pairs; processes' output in %s%n",
                options.mode(), options.pairs(), workDir);
        String postgresProblem = options.skipPostgres() ? "skipped by --skip-postgres"
                : PostgresSchema.unreachableReason(options.postgresUrl());
        if (postgresProblem != null) {
            if (options.requirePostgres()) {
                System.err.println("PostgreSQL is required but does not answer at " + redacted(options.postgresUrl())
                        + ": " + postgresProblem);
                return 1;
            }
            note("PostgreSQL skipped (" + redacted(options.postgresUrl()) + "): " + postgresProblem);
        }
        boolean postgres = postgresProblem == null;

        List<StorageRatio> storage = new ArrayList<>();
        storage.add(storageRatio("H2 (file)", Database::h2File));
        storage.add(postgres ? storageRatio("PostgreSQL", () -> Database.postgres(options.postgresUrl()))
                : new StorageRatio("PostgreSQL", null, null, postgresProblem));
        String mariadbUrl = System.getenv("CARECHAT_BENCH_MARIADB_URL");
        storage.add(mariadbUrl == null || mariadbUrl.isBlank()
                ? new StorageRatio("MariaDB", null, null, "not run: set CARECHAT_BENCH_MARIADB_URL")
                : storageRatio("MariaDB", () -> Database.mariadb(mariadbUrl)));

        String socketIoProblem = options.skipSocketIo() ? "skipped by --skip-socketio" : SocketIoRelay.unavailableReason();
        if (socketIoProblem != null) {
            note("Socket.IO relay skipped: " + socketIoProblem);
        }
        List<SystemRun> systems = new ArrayList<>();
        for (SystemKind kind : SystemKind.values()) {
            if (System.nanoTime() > deadline) {
                systems.add(SystemRun.skipped(kind, "the run's time budget of " + options.budget().toSeconds()
                        + " s was spent"));
                continue;
            }
            switch (kind) {
                case JAVA_WEBSOCKET_RELAY:
                    systems.add(measure(kind, JavaWebSocketRelay::start, deadline));
                    break;
                case SOCKET_IO_RELAY:
                    systems.add(socketIoProblem != null ? SystemRun.skipped(kind, socketIoProblem)
                            : measure(kind, () -> SocketIoRelay.start(options.socketIoRelayDir(), workDir.resolve("node"),
                                    options.budget().plusMinutes(2)), deadline));
                    break;
                case CARECHAT_H2:
                    systems.add(measure(kind, () -> CareChatServer.start(options.demoJar(), workDir.resolve("h2"), null),
                            deadline));
                    break;
                case CARECHAT_POSTGRES:
                    systems.add(!postgres ? SystemRun.skipped(kind, "PostgreSQL: " + postgresProblem)
                            : measure(kind, this::startOnPostgres, deadline));
                    break;
                default:
                    throw new IllegalStateException("unknown system " + kind);
            }
        }

        RunReport report = new RunReport(options, MachineDescription.describe(), started,
                Duration.between(started, Instant.now()), systems, storage, notes, PLOT);
        Files.createDirectories(options.docsDir());
        P99Plot.write(systems, options.p99Limit(), "CareChat end-to-end: receiver p99 against offered rate ("
                + options.mode() + " run)", options.docsDir().resolve(PLOT));
        Path reportFile = options.docsDir().resolve(REPORT);
        String previous = Files.exists(reportFile) ? Files.readString(reportFile) : "";
        Files.writeString(reportFile, ReportMarkdown.render(report, previous));
        System.out.printf(Locale.ROOT, "%nwrote %s and %s in %d s%n", reportFile, options.docsDir().resolve(PLOT),
                report.took().toSeconds());
        for (SystemRun run : systems) {
            System.out.printf(Locale.ROOT, "  %-30s %s%n", run.kind().label, run.ran()
                    ? "held " + run.heldRate(options.p99Limit()) + " msg/s (stopped: " + run.stopReason() + ")"
                    : "skipped: " + run.skipped());
        }
        return 0;
    }

    private CareChatServer startOnPostgres() throws Exception {
        PostgresSchema schema = PostgresSchema.create(options.postgresUrl());
        try {
            return CareChatServer.start(options.demoJar(), workDir.resolve("postgres"), schema);
        } catch (Exception e) {
            schema.close();
            throw e;
        }
    }

    /** Starts a system, sets up its pairs, warms it up and steps the rate until it stops holding. */
    private SystemRun measure(SystemKind kind, SystemFactory factory, long runDeadline) {
        System.out.printf(Locale.ROOT, "%n[%s] starting and connecting %d pairs%n", kind.label, options.pairs());
        try (SystemUnderTest system = factory.start()) {
            Measurements measurements = new Measurements();
            long setupStart = System.nanoTime();
            OpenLoopGenerator generator = new OpenLoopGenerator(system.connect(options.pairs(), measurements),
                    measurements);
            System.out.printf(Locale.ROOT, "[%s] set up in %.1f s; warming up at %d msg/s for %d s%n", kind.label,
                    (System.nanoTime() - setupStart) / 1e9, options.warmupRate(), options.warmup().toSeconds());
            generator.run(0, options.warmupRate(), options.warmup(), options.drain());
            settle();
            long deadline = Math.min(runDeadline, System.nanoTime() + options.systemBudget().toNanos());
            List<StepResult> steps = new ArrayList<>();
            int stepNumber = 0;
            String stop = "every rate was tried";
            for (int rate : options.rates()) {
                if (System.nanoTime() + options.step().plus(options.drain()).toNanos() > deadline) {
                    stop = "the time budget was spent";
                    break;
                }
                StepResult step = step(kind, generator, ++stepNumber, rate);
                if (RateSearch.shouldRepeat(step, options.p99Limit(), false)
                        && System.nanoTime() + options.step().plus(options.drain()).toNanos() < deadline) {
                    note(String.format(Locale.ROOT, "%s: %,d msg/s was offered twice, because the generator fell"
                            + " behind the first time; the second result counts.", kind.label, rate));
                    settle();
                    step = step(kind, generator, ++stepNumber, rate);
                }
                steps.add(step);
                if (RateSearch.shouldStop(steps, options.p99Limit(), options.failuresToStop())) {
                    stop = options.failuresToStop() == 1 ? "the first rate not held"
                            : options.failuresToStop() + " rates in a row not held";
                    break;
                }
                settle();
            }
            return new SystemRun(kind, steps, null, stop, measurements.stragglers());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            note(kind.label + " failed: " + e);
            return SystemRun.skipped(kind, "failed: " + e);
        }
    }

    private StepResult step(SystemKind kind, OpenLoopGenerator generator, int number, int rate) {
        StepResult step = generator.run(number, rate, options.step(), options.drain());
        System.out.printf(Locale.ROOT, "[%s] %6d msg/s: delivered %d/%d, errors %d, p99 %s ms, max %s ms,"
                + " generator %s -> %s%n", kind.label, rate, step.delivered(), step.scheduled(), step.errors(),
                ReportMarkdown.millis(step.p99Micros()), ReportMarkdown.millis(step.maxMicros()),
                ReportMarkdown.generator(step).replace("**", ""), step.held(options.p99Limit()) ? "held" : "NOT held");
        return step;
    }

    private StorageRatio storageRatio(String label, DatabaseFactory factory) {
        System.out.printf(Locale.ROOT, "[storage on %s] in-process send and batched-INSERT ceiling, %d messages%n",
                label, options.storageMessages());
        SendThroughput.Load load = new SendThroughput.Load(SendThroughput.Load.SENDERS,
                Math.max(1, options.storageMessages() / SendThroughput.Load.SENDERS), SendThroughput.Load.CONVERSATIONS,
                Payload.BODY_CHARS);
        try (Database warm = factory.open()) {
            SendThroughput.carechat("warm-up", warm.dataSource(), new SendThroughput.Load(SendThroughput.Load.SENDERS, 4,
                    SendThroughput.Load.CONVERSATIONS, Payload.BODY_CHARS),
                    64, Duration.ZERO);
        } catch (Exception e) {
            note("in-process send on " + label + " failed: " + e);
            return new StorageRatio(label, null, null, "failed: " + e);
        }
        try (Database db = factory.open()) {
            Measurement send = SendThroughput.carechat("in-process send", db.dataSource(), load, 64, Duration.ZERO);
            Measurement ceiling = SendThroughput.ceiling(db, load, 64);
            System.out.printf(Locale.ROOT, "[storage on %s] send %.0f msg/s, ceiling %.0f rows/s%n", label,
                    send.perSecond(), ceiling.perSecond());
            return new StorageRatio(label, send, ceiling, null);
        } catch (Exception e) {
            note("in-process send on " + label + " failed: " + e);
            return new StorageRatio(label, null, null, "failed: " + e);
        }
    }

    private void note(String text) {
        System.out.println(text);
        notes.add(text);
    }

    /** Lets stragglers of an overloaded step clear before the next one. */
    private static void settle() throws InterruptedException {
        Thread.sleep(500);
    }

    /** @return the URL without its query, which may hold credentials */
    static String redacted(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir);
        }
    }

    /** Starts one system under test. */
    @FunctionalInterface
    private interface SystemFactory {
        SystemUnderTest start() throws Exception;
    }

    /** Opens one fresh database. */
    @FunctionalInterface
    private interface DatabaseFactory {
        Database open() throws Exception;
    }
}

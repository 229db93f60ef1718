package io.carechat.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmarks' command line. Without arguments (or with a number) it runs the in-process
 * benchmark; with {@code e2e} it runs the end-to-end benchmark
 * ({@link io.carechat.benchmarks.e2e.EndToEndBenchmark}, {@code e2e --help} for its options); with
 * {@code history} the history-size benchmark ({@link io.carechat.benchmarks.history.HistoryBenchmark}).
 *
 * <p>The in-process benchmark prints a Markdown table of throughput and ratio to the ceiling, also
 * written to {@code target/benchmarks.md}. Runs on an H2 file database, on PostgreSQL as well when
 * {@code CARECHAT_BENCH_POSTGRES_URL} is set (for example
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}), and on MariaDB when
 * {@code CARECHAT_BENCH_MARIADB_URL} is set (for example
 * {@code jdbc:mariadb://127.0.0.1:3306/test?user=root}). Bounded: each run sends a fixed number of
 * messages.
 */
public final class Benchmarks {
    private static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar carechat-benchmarks.jar [messages-per-sender]   the in-process send benchmark"
                    + " (default 50; H2, PostgreSQL when CARECHAT_BENCH_POSTGRES_URL is set, MariaDB when"
                    + " CARECHAT_BENCH_MARIADB_URL is set)",
            "       java -jar carechat-benchmarks.jar e2e [--quick] [--help]  the end-to-end benchmark",
            "       java -jar carechat-benchmarks.jar history [--quick]      the history-size benchmark"
                    + " (PostgreSQL at CARECHAT_BENCH_POSTGRES_URL)");

    private Benchmarks() {}

    /**
     * Runs the benchmarks.
     *
     * @param args {@code e2e} and its flags; or optionally the number of messages per sender of the
     *     in-process benchmark (default 50)
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("e2e")) {
            io.carechat.benchmarks.e2e.EndToEndBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("history")) {
            io.carechat.benchmarks.history.HistoryBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 1 || args.length == 1 && !args[0].matches("[1-9][0-9]{0,6}")) {
            System.err.println(USAGE);
            System.exit(args[0].equals("--help") || args[0].equals("-h") ? 0 : 2);
            return;
        }
        int perSender = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        List<String> report = new ArrayList<>(List.of("# CareChat benchmarks", ""));
        try (Database h2 = Database.h2File()) {
            report.addAll(sendTable(h2, perSender));
        }
        String pg = System.getenv("CARECHAT_BENCH_POSTGRES_URL");
        if (pg != null && !pg.isBlank()) {
            try (Database postgres = Database.postgres(pg)) {
                report.addAll(sendTable(postgres, perSender));
            }
        }
        String mariadb = System.getenv("CARECHAT_BENCH_MARIADB_URL");
        if (mariadb != null && !mariadb.isBlank()) {
            try (Database onMariaDb = Database.mariadb(mariadb)) {
                report.addAll(sendTable(onMariaDb, perSender));
            }
        }
        String text = String.join(System.lineSeparator(), report) + System.lineSeparator();
        System.out.print(text);
        Path out = Path.of("target", "benchmarks.md");
        try {
            Files.createDirectories(out.getParent());
            Files.writeString(out, text);
        } catch (IOException e) {
            System.err.println("could not write " + out + ": " + e.getMessage());
        }
    }

    /** The send benchmark on one database: CareChat with and without group commit, and the ceiling. */
    static List<String> sendTable(Database db, int perSender) throws Exception {
        int senders = SendThroughput.Load.SENDERS;
        SendThroughput.Load load = new SendThroughput.Load(senders, perSender, SendThroughput.Load.CONVERSATIONS);
        Measurement grouped = SendThroughput.carechat("CareChat send, group commit (64, 2 ms), " + senders + " senders",
                db.dataSource, load, 64, Duration.ofMillis(2));
        Measurement single = SendThroughput.carechat("CareChat send, one commit per message, " + senders + " senders",
                db.dataSource, load, 1, Duration.ZERO);
        Measurement ceiling = SendThroughput.ceiling(db, load.total(), 64);
        return List.of("## Send throughput on " + db.label, "",
                "| run | messages | per second | ratio to ceiling |", "|---|---|---|---|",
                grouped.row(ceiling), single.row(ceiling), ceiling.row(ceiling), "");
    }
}

package io.carechat.benchmarks.history;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the history-size report in Markdown: the run, the rows loaded, p50 and p99 per call at
 * each size, the largest size's p99 over the smallest's against the target of 1.5, and each
 * statement's plan. Stateless and thread-safe.
 */
final class HistoryReport {
    /** The target: the largest size's p99 at most this many times the smallest's. */
    static final double TARGET_RATIO = 1.5;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private HistoryReport() {}

    /**
     * @param options the run's shape
     * @param sizes each measured size, ascending
     * @param machine the machine line
     * @param began when the run started
     * @param took the whole run
     * @return the report
     */
    static String markdown(HistoryOptions options, List<HistorySize> sizes, String machine, Instant began,
            Duration took) {
        List<String> out = new ArrayList<>();
        out.add("# CareChat history-size benchmark");
        out.add("");
        out.add("<!-- Written by `java -jar benchmarks/target/carechat-benchmarks.jar history`: re-run it rather than"
                + " editing by hand. -->");
        out.add("");
        out.add(String.format(Locale.ROOT, "Measured %s in **%s** mode (%d s) on %s.", WHEN.format(began),
                options.mode(), took.toSeconds(), machine));
        out.add("PostgreSQL, the benchmark and its bulk load share these cores; compare the sizes within one run.");
        out.add("");
        out.add("## Summary");
        out.add("");
        HistorySize small = sizes.get(0);
        HistorySize large = sizes.get(sizes.size() - 1);
        out.add(String.format(Locale.ROOT, "| call | p50 at %s (ms) | p99 at %s (ms) | p50 at %s (ms) | p99 at %s (ms)"
                + " | p99 ÷ p99 | target ≤ %.1f |", count(small), count(small), count(large), count(large),
                TARGET_RATIO));
        out.add("|---|---:|---:|---:|---:|---:|---|");
        for (HistoryQuery q : HistoryQuery.values()) {
            Latency a = small.latencies().get(q);
            Latency b = large.latencies().get(q);
            double ratio = b.p99Millis() / a.p99Millis();
            out.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.2f | %s |", q.label(),
                    millis(a.p50Millis()), millis(a.p99Millis()), millis(b.p50Millis()), millis(b.p99Millis()), ratio,
                    ratio <= TARGET_RATIO ? "met" : "**missed**"));
        }
        out.add("");
        out.add("![p50 and p99 of each call at each history size](" + HistoryOptions.PLOT + ")");
        out.add("");
        out.add("## The database's share");
        out.add("");
        out.add("The statements each call ran (recorded from one more call at each size, see Plans below), and the sum of"
                + " their execution times in PostgreSQL as `EXPLAIN ANALYZE` reports them. A write that was only"
                + " planned adds nothing to the sum and is counted apart.");
        out.add("");
        out.add(String.format(Locale.ROOT, "| call | statements | not re-run | database time at %s (ms) |"
                + " database time at %s (ms) | a plan reads all of messages |", count(small), count(large)));
        out.add("|---|---:|---:|---:|---:|---|");
        for (HistoryQuery q : HistoryQuery.values()) {
            List<PlanExplainer.Plan> largePlans = large.plans().getOrDefault(q, List.of());
            boolean scans = sizes.stream().flatMap(s -> s.plans().getOrDefault(q, List.of()).stream())
                    .anyMatch(PlanExplainer.Plan::scansMessages);
            out.add(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %.2f | %s |", q.label(), largePlans.size(),
                    largePlans.stream().filter(p -> !p.analyzed()).count(), databaseMillis(small, q),
                    databaseMillis(large, q), scans ? "**yes**" : "no"));
        }
        out.add("");
        out.add("## Rows loaded");
        out.add("");
        out.add("Counted after each size's load (the messages include those sent while measuring the sizes before).");
        out.add("");
        List<String> tables = new ArrayList<>(small.rows().keySet());
        out.add("| size | " + String.join(" | ", tables) + " | load time (s) | load average when measuring |");
        out.add("|---" + "|---:".repeat(tables.size()) + "|---:|---:|");
        for (HistorySize size : sizes) {
            StringBuilder row = new StringBuilder("| " + count(size) + " |");
            for (String t : tables) {
                row.append(String.format(Locale.ROOT, " %,d |", size.rows().get(t)));
            }
            row.append(String.format(Locale.ROOT, " %d | %s |", size.loadTime().toSeconds(),
                    size.loadAverage() < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f", size.loadAverage())));
            out.add(row.toString());
        }
        out.add("");
        out.add("## Method");
        out.add("");
        out.add(String.format(Locale.ROOT, "- A PostgreSQL database of the run's own, migrated by the product's Flyway"
                + " migrations, dropped at the end. %,d direct conversations, one per patient, %,d per doctor;"
                + " messages loaded in rounds of one per conversation (senders alternating), so conversations"
                + " interleave in the table as they do over time.", options.conversations(),
                options.conversationsPerDoctor()));
        out.add("- Bulk load with `COPY ... FROM STDIN` (pgjdbc's `CopyManager`), foreign-key triggers off during"
                + " the copy (`session_replication_role = replica`; the rows are consistent by construction). Every"
                + " body (" + options.bodyChars() + " characters) is sealed by the product's `MessageFields` under"
                + " the key the measured `Messaging` opens it with, bound to its message as a send binds it."
                + " Conversations' last seq and time, members' delivered and read positions and unread counters"
                + " are set from the loaded messages (patients have up to 2 unread, doctors up to 6 per"
                + " conversation); then `VACUUM (ANALYZE)`. No audit events are loaded for the bulk messages.");
        out.add(String.format(Locale.ROOT, "- Each call through the `Messaging` facade on `JdbcStorage` (product"
                + " defaults, send and history rates raised out of the way), one at a time from one thread, the"
                + " four calls taking turns: %d unmeasured rounds, then %d measured, each call on a randomly chosen"
                + " doctor, patient or conversation. A full GC before each size's rounds.", options.warmup(), options.samples()));
        for (HistoryQuery q : HistoryQuery.values()) {
            out.add("  - " + q.label() + ": `" + q.call() + "`");
        }
        out.add("  - The history page holds " + HistoryBenchmark.HISTORY_PAGE + " messages, the fewest a conversation"
                + " holds at the smallest size, so every page is full at every size.");
        out.add("- Plans: one more call of each with every statement it ran recorded (a data source in front of the"
                + " pool, statements of the group-commit writer included), then `EXPLAIN (ANALYZE, BUFFERS)` of"
                + " each distinct statement with the same parameters, in a transaction rolled back. A write whose"
                + " rows exist already (a message or an audit event) gets `EXPLAIN` only.");
        out.add("");
        out.add("## Plans");
        out.add("");
        for (int i = sizes.size() - 1; i >= 0; i--) {
            HistorySize size = sizes.get(i);
            boolean folded = i != sizes.size() - 1;
            out.add("### At " + count(size) + " messages");
            out.add("");
            if (folded) {
                out.add("<details><summary>Plans at " + count(size) + " messages</summary>");
                out.add("");
            }
            for (Map.Entry<HistoryQuery, List<PlanExplainer.Plan>> e : ordered(size)) {
                out.add("#### " + e.getKey().label() + " (" + count(size) + ")");
                out.add("");
                for (PlanExplainer.Plan plan : e.getValue()) {
                    out.add("```sql");
                    out.add(plan.sql());
                    out.add("```");
                    out.add("");
                    out.add(plan.analyzed() ? "```" : "Not run again (its rows exist), plan only:\n\n```");
                    out.addAll(plan.plan());
                    out.add("```");
                    out.add("");
                }
            }
            if (folded) {
                out.add("</details>");
                out.add("");
            }
        }
        return String.join("\n", out) + "\n";
    }

    private static double databaseMillis(HistorySize size, HistoryQuery q) {
        return size.plans().getOrDefault(q, List.of()).stream().mapToDouble(PlanExplainer.Plan::executionMillis).sum();
    }

    private static List<Map.Entry<HistoryQuery, List<PlanExplainer.Plan>>> ordered(HistorySize size) {
        List<Map.Entry<HistoryQuery, List<PlanExplainer.Plan>>> entries = new ArrayList<>();
        for (HistoryQuery q : HistoryQuery.values()) {
            entries.add(Map.entry(q, size.plans().getOrDefault(q, List.of())));
        }
        return entries;
    }

    /** @return e.g. "5M", "0.5M", "20k" */
    static String count(HistorySize size) {
        long n = size.nominalMessages();
        if (n >= 100_000) {
            return trim(n / 1_000_000.0) + "M";
        }
        return n >= 1_000 ? trim(n / 1_000.0) + "k" : Long.toString(n);
    }

    private static String trim(double value) {
        String text = String.format(Locale.ROOT, "%.1f", value);
        return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
    }

    private static String millis(double value) {
        return value >= 10 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }
}

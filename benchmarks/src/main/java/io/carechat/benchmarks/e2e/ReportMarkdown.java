package io.carechat.benchmarks.e2e;

import io.carechat.benchmarks.SendThroughput;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes {@code docs/benchmarks.md} from a {@link RunReport}: the summary with its ratio columns,
 * the storage ratio, the targets measured against, every step of every system, the method,
 * and the profile notes section, which it carries over from the previous file so that notes written
 * by hand survive a re-run. Stateless and thread-safe.
 */
final class ReportMarkdown {
    static final String NOTES_START = "<!-- profile-notes:start -->";
    static final String NOTES_END = "<!-- profile-notes:end -->";
    static final String NOTES_PLACEHOLDER = "_To be filled in by the write-path work: where a send's time goes"
            + " (profiler output, flame graph), what was changed, and the before/after figures from this benchmark._";

    /** The objective for CareChat's end-to-end rate, in messages per second. */
    static final int TARGET_RATE = 4_000;
    /** The objective for CareChat's rate as a share of the Socket.IO relay's. */
    static final double TARGET_SOCKET_IO_SHARE = 0.5;
    /** The objective for in-process send as a share of the batched-INSERT ceiling. */
    static final double TARGET_CEILING_SHARE = 0.5;

    private ReportMarkdown() {}

    /**
     * @param report what the run found
     * @param previous the file's current text, or "" when there is none
     * @return the new file's text
     */
    static String render(RunReport report, String previous) {
        Duration limit = report.options().p99Limit();
        List<String> out = new ArrayList<>();
        out.add("# CareChat end-to-end benchmark");
        out.add("");
        out.add("<!-- Written by `java -jar benchmarks/target/carechat-benchmarks.jar e2e`: re-run it rather than"
                + " editing by hand; only the profile notes section is kept across runs. -->");
        out.add("");
        out.add(String.format(Locale.ROOT, "Measured %s in **%s** mode (%s) on %s.",
                DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(report.started().atOffset(ZoneOffset.UTC).withNano(0))
                        + " UTC", report.options().mode(), seconds(report.took()), report.machine()));
        out.add("The benchmark, the servers and the databases share these cores, so the figures compare systems within"
                + " one run; compare runs on other machines by their ratios.");
        out.add("");
        summary(report, limit, out);
        storage(report, out);
        targets(report, limit, out);
        out.add("## Receiver p99 against offered rate");
        out.add("");
        out.add("![Receiver p99 latency against offered rate, one line per system](" + report.plotFile() + ")");
        out.add("");
        out.add("Filled markers: the rate was held; hollow: it was not. The dashed line is the "
                + limit.toMillis() + " ms objective.");
        out.add("");
        for (SystemRun run : report.systems()) {
            steps(run, limit, out);
        }
        method(report, out);
        if (!report.notes().isEmpty()) {
            out.add("## Notes from this run");
            out.add("");
            report.notes().forEach(n -> out.add("- " + n));
            out.add("");
        }
        out.add("## Profile notes");
        out.add("");
        out.add(NOTES_START);
        out.add(keptNotes(previous));
        out.add(NOTES_END);
        return String.join("\n", out) + "\n";
    }

    /** @return the hand-written profile notes of a previous report, or the placeholder */
    static String keptNotes(String previous) {
        int start = previous.indexOf(NOTES_START);
        int end = previous.indexOf(NOTES_END);
        if (start < 0 || end < start) {
            return NOTES_PLACEHOLDER;
        }
        String kept = previous.substring(start + NOTES_START.length(), end).strip();
        return kept.isEmpty() ? NOTES_PLACEHOLDER : kept;
    }

    private static void summary(RunReport report, Duration limit, List<String> out) {
        Optional<SystemRun> socketIo = report.system(SystemKind.SOCKET_IO_RELAY);
        Optional<SystemRun> relay = report.system(SystemKind.JAVA_WEBSOCKET_RELAY);
        out.add("## Summary");
        out.add("");
        out.add("Highest offered rate each system held: every message delivered, no errors, receiver p99 under "
                + limit.toMillis() + " ms, generator on schedule.");
        out.add("");
        out.add("| system | highest rate held (msg/s) | ÷ Socket.IO relay | ÷ Java-WebSocket relay |");
        out.add("|---|---:|---:|---:|");
        for (SystemRun run : report.systems()) {
            if (!run.ran()) {
                out.add("| " + run.kind().label + " | skipped | | |");
                continue;
            }
            out.add("| " + run.kind().label + " | " + rate(run, limit) + " | " + ratio(run, socketIo, limit) + " | "
                    + ratio(run, relay, limit) + " |");
        }
        out.add("");
        out.add("A rate written \"≥\" was the highest one tried, so the limit lies above it, and a ratio against it is"
                + " a bound. \"none\" means not even the lowest rate was held.");
        out.add("");
    }

    private static void storage(RunReport report, List<String> out) {
        out.add("## In-process send against the database's ceiling");
        out.add("");
        out.add("`Messaging.send` through the JDBC adapter with " + SendThroughput.Load.SENDERS + " threads, against plain batched INSERTs of rows of"
                + " the same shape and body size from one thread (64 rows per commit), on the same database in the"
                + " same run; both commit every batch.");
        out.add("");
        out.add("| database | in-process send (msg/s) | batched-INSERT ceiling (rows/s) | send ÷ ceiling |");
        out.add("|---|---:|---:|---:|");
        for (StorageRatio s : report.storage()) {
            if (!s.ran()) {
                out.add("| " + s.database() + " | skipped | | |");
            } else {
                out.add(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.2f |", s.database(), s.send().perSecond(),
                        s.ceiling().perSecond(), s.ratio()));
            }
        }
        out.add("");
    }

    private static void targets(RunReport report, Duration limit, List<String> out) {
        out.add("## The issue's targets");
        out.add("");
        out.add("| target | measured | met |");
        out.add("|---|---:|---|");
        Optional<SystemRun> socketIo = report.system(SystemKind.SOCKET_IO_RELAY);
        for (SystemKind kind : List.of(SystemKind.CARECHAT_POSTGRES, SystemKind.CARECHAT_H2)) {
            Optional<SystemRun> run = report.system(kind);
            out.add(String.format(Locale.ROOT, "| %s: ≥ %,d msg/s at receiver p99 < %d ms | %s | %s |", kind.label,
                    TARGET_RATE, limit.toMillis(), run.map(r -> rate(r, limit)).orElse("not run"),
                    run.map(r -> met(r.heldRate(limit) >= TARGET_RATE)).orElse("unknown")));
        }
        for (SystemKind kind : List.of(SystemKind.CARECHAT_POSTGRES, SystemKind.CARECHAT_H2)) {
            Optional<SystemRun> run = report.system(kind);
            String measured = run.isPresent() && socketIo.isPresent() ? ratio(run.get(), socketIo, limit) : "not run";
            String met = run.isPresent() && socketIo.isPresent() && socketIo.get().heldRate(limit) > 0
                    ? met((double) run.get().heldRate(limit) / socketIo.get().heldRate(limit) >= TARGET_SOCKET_IO_SHARE)
                    : "unknown";
            out.add(String.format(Locale.ROOT, "| %s: ≥ %.1f × the Socket.IO relay's rate | %s | %s |", kind.label,
                    TARGET_SOCKET_IO_SHARE, measured, met));
        }
        for (StorageRatio s : report.storage()) {
            out.add(String.format(Locale.ROOT, "| in-process send on %s: ≥ %.1f × the batched-INSERT ceiling | %s | %s |",
                    s.database(), TARGET_CEILING_SHARE, s.ran() ? String.format(Locale.ROOT, "%.2f", s.ratio())
                            : "not run", s.ran() ? met(s.ratio() >= TARGET_CEILING_SHARE) : "unknown"));
        }
        out.add("");
    }

    private static void steps(SystemRun run, Duration limit, List<String> out) {
        out.add("### " + run.kind().label);
        out.add("");
        if (run.skipped() != null) {
            out.add("Skipped: " + run.skipped());
            out.add("");
            return;
        }
        if (run.steps().isEmpty()) {
            out.add("No rate was measured: " + run.stopReason() + ".");
            out.add("");
            return;
        }
        out.add("| offered (msg/s) | sent | delivered | errors | p50 (ms) | p99 (ms) | p99.9 (ms) | max (ms) |"
                + " generator | held |");
        out.add("|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        for (StepResult s : run.steps()) {
            out.add(String.format(Locale.ROOT, "| %,d | %,d | %,d | %,d | %s | %s | %s | %s | %s | %s |",
                    s.offeredPerSecond(), s.scheduled(), s.delivered(), s.errors(), millis(s.p50Micros()),
                    millis(s.p99Micros()), millis(s.p999Micros()), millis(s.maxMicros()), generator(s),
                    s.held(limit) ? "yes" : "no"));
        }
        out.add("");
        out.add("Stopped: " + run.stopReason() + "." + (run.stragglers() > 0
                ? String.format(Locale.ROOT, " %,d messages arrived after their step had ended (not measured).",
                        run.stragglers()) : ""));
        out.add("");
    }

    /** @return "on schedule", or the flag that the generator fell behind, with by how much */
    static String generator(StepResult s) {
        String lag = millis(s.maxLagMicros());
        if (s.generatorFellBehind()) {
            return String.format(Locale.ROOT, "**fell behind** by up to %s ms, %.1f%% of sends late", lag,
                    100 * s.lateShare());
        }
        return "on schedule (max lag " + lag + " ms)";
    }

    private static void method(RunReport report, List<String> out) {
        E2eOptions o = report.options();
        out.add("## Method");
        out.add("");
        out.add(String.format(Locale.ROOT, "- %d sender–receiver pairs per system, each pair on its own two loopback"
                + " WebSockets (the JDK's `java.net.http.WebSocket`); bodies of %d bytes.", o.pairs(), Payload.BODY_CHARS));
        out.add("- CareChat: the demo server (`examples/target/carechat-demo.jar`) as its own process, on a fresh H2"
                + " file database and on a fresh PostgreSQL schema, per-user send limits raised out of the way"
                + " (`CARECHAT_SEND_RATE_PER_SECOND=10000`, `CARECHAT_SEND_BURST=100000`). Patients and doctors register"
                + " and log in over the HTTP API, the admin grants the doctor role, each patient opens the conversation"
                + " with their doctor; patients send `send` frames, doctors' sockets receive `message` frames.");
        out.add("- Java-WebSocket relay: a bare `org.java-websocket` server in the benchmark's JVM that forwards each"
                + " frame from a sender to its pair's receiver: the transport ceiling, with nothing stored.");
        out.add("- Socket.IO relay: `benchmarks/socketio-relay/server.js` (Socket.IO 4 on Node.js) forwarding each"
                + " `msg` event to the pair's receiver; the same generator speaks Engine.IO v4 over a plain WebSocket.");
        out.add(String.format(Locale.ROOT, "- Open loop: message *i* of a step is due at start + *i*/rate, whatever the"
                + " system does, round robin over the pairs; latency is taken at the receiver from that intended time,"
                + " into an HdrHistogram, so queueing anywhere (client, server, database) counts. A send the generator"
                + " issues more than %d ms late counts as late; with more than %.0f%% late sends the step is flagged"
                + " and not counted as held.", StepResult.LATE_AFTER.toMillis(), 100 * StepResult.MAX_LATE_SHARE));
        out.add(String.format(Locale.ROOT, "- Each rate is offered for %s after an unmeasured warm-up of %s at %,d msg/s;"
                + " the last messages get %s to arrive. A system's stepping stops after %d rate%s in a row not held.",
                seconds(o.step()), seconds(o.warmup()), o.warmupRate(), seconds(o.drain()), o.failuresToStop(),
                o.failuresToStop() == 1 ? "" : "s"));
        out.add("");
    }

    private static String rate(SystemRun run, Duration limit) {
        int held = run.heldRate(limit);
        if (held == 0) {
            return "none";
        }
        return (run.heldTopRate(limit) ? "≥ " : "") + String.format(Locale.ROOT, "%,d", held);
    }

    private static String ratio(SystemRun run, Optional<SystemRun> other, Duration limit) {
        if (other.isEmpty() || other.get().heldRate(limit) == 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.2f", (double) run.heldRate(limit) / other.get().heldRate(limit));
    }

    private static String met(boolean met) {
        return met ? "yes" : "**no**";
    }

    static String millis(long micros) {
        return micros >= 10_000 ? String.format(Locale.ROOT, "%,d", Math.round(micros / 1000.0))
                : String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + " s";
    }
}

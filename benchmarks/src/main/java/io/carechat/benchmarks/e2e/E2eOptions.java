package io.carechat.benchmarks.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How one end-to-end run is shaped: the quick or full preset, adjusted by flags. Immutable.
 *
 * @param mode "quick" or "full"
 * @param pairs patient–doctor (sender–receiver) pairs per system
 * @param rates offered rates to step through, rising, in messages per second
 * @param step how long each rate is offered
 * @param drain how long to wait after a step for its last messages
 * @param warmup rate and time of an unmeasured first step
 * @param warmupRate messages per second of the warm-up
 * @param failuresToStop steps in a row not held after which a system's search stops
 * @param p99Limit the receiver latency objective
 * @param systemBudget how long one system's stepping may take, set-up and warm-up not counted
 * @param budget time after which no new step starts
 * @param storageMessages messages for the in-process send and the batched-INSERT ceiling
 * @param postgresUrl the PostgreSQL database to use
 * @param requirePostgres fail instead of skipping when PostgreSQL does not answer
 * @param skipPostgres do not use PostgreSQL
 * @param skipSocketIo do not run the Socket.IO relay
 * @param root the repository's root folder (holds examples/, benchmarks/ and docs/)
 */
record E2eOptions(
        String mode,
        int pairs,
        List<Integer> rates,
        Duration step,
        Duration drain,
        Duration warmup,
        int warmupRate,
        int failuresToStop,
        Duration p99Limit,
        Duration systemBudget,
        Duration budget,
        int storageMessages,
        String postgresUrl,
        boolean requirePostgres,
        boolean skipPostgres,
        boolean skipSocketIo,
        Path root) {

    static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar benchmarks/target/carechat-benchmarks.jar e2e [--quick | --full] [options]",
            "  --quick                about 2 minutes: 32 pairs, 3 s steps, stop at the first rate not held",
            "  --full                 (default) within 15 minutes: 100 pairs, 10 s steps, stop after 2 rates not held",
            "  --pairs N              sender-receiver pairs per system",
            "  --rates A,B,C          offered rates in messages per second, rising",
            "  --step-seconds N       how long each rate is offered",
            "  --postgres-url URL     default " + DEFAULT_POSTGRES_URL + " (or CARECHAT_BENCH_POSTGRES_URL)",
            "  --require-postgres     fail instead of skipping when PostgreSQL does not answer",
            "  --skip-postgres        run on H2 only",
            "  --skip-socketio        do not run the Socket.IO relay",
            "  --root DIR             the repository root (default: found from the working folder)");

    /** The preset for about two minutes in all. */
    static E2eOptions quick(Path root) {
        return new E2eOptions("quick", 32, List.of(100, 250, 500, 1000, 2000, 4000, 8000, 12000),
                Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(2), 250, 1,
                Duration.ofMillis(50), Duration.ofSeconds(30), Duration.ofSeconds(160), 800, DEFAULT_POSTGRES_URL,
                false, false, false, root);
    }

    /** The preset for a full run within fifteen minutes. */
    static E2eOptions full(Path root) {
        return new E2eOptions("full", 100,
                List.of(100, 250, 500, 1000, 2000, 3000, 4000, 6000, 8000, 12000, 16000, 24000),
                Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(8), 250, 2,
                Duration.ofMillis(50), Duration.ofSeconds(170), Duration.ofMinutes(13), 2_000, DEFAULT_POSTGRES_URL,
                false, false, false, root);
    }

    /**
     * Reads the flags after {@code e2e}.
     *
     * @param args the flags
     * @param postgresFromEnv {@code CARECHAT_BENCH_POSTGRES_URL}, or null
     * @param workingDir where to start looking for the repository root
     * @throws IllegalArgumentException naming a bad flag
     */
    static E2eOptions parse(List<String> args, String postgresFromEnv, Path workingDir) {
        List<String> rest = new ArrayList<>(args);
        Path root = null;
        int rootAt = rest.indexOf("--root");
        if (rootAt >= 0) {
            root = Path.of(value(rest, rootAt));
            rest.subList(rootAt, rootAt + 2).clear();
        }
        if (root == null) {
            root = findRoot(workingDir);
        }
        E2eOptions o = rest.contains("--quick") ? quick(root) : full(root);
        if (postgresFromEnv != null && !postgresFromEnv.isBlank()) {
            o = o.withPostgres(postgresFromEnv.trim(), o.requirePostgres, o.skipPostgres);
        }
        for (int i = 0; i < rest.size(); i++) {
            String flag = rest.get(i);
            switch (flag) {
                case "--quick":
                case "--full":
                    break;
                case "--pairs":
                    o = o.withPairs(positive(flag, value(rest, i++)));
                    break;
                case "--rates":
                    o = o.withRates(rates(value(rest, i++)));
                    break;
                case "--step-seconds":
                    o = o.withStep(Duration.ofSeconds(positive(flag, value(rest, i++))));
                    break;
                case "--postgres-url":
                    o = o.withPostgres(value(rest, i++), o.requirePostgres, o.skipPostgres);
                    break;
                case "--require-postgres":
                    o = o.withPostgres(o.postgresUrl, true, false);
                    break;
                case "--skip-postgres":
                    o = o.withPostgres(o.postgresUrl, false, true);
                    break;
                case "--skip-socketio":
                    o = new E2eOptions(o.mode, o.pairs, o.rates, o.step, o.drain, o.warmup, o.warmupRate,
                            o.failuresToStop, o.p99Limit, o.systemBudget, o.budget, o.storageMessages, o.postgresUrl,
                            o.requirePostgres, o.skipPostgres, true, o.root);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        return o;
    }

    /** @return the folder above {@code from} (or itself) that holds examples/ and benchmarks/, else {@code from} */
    static Path findRoot(Path from) {
        for (Path dir = from.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (dir.resolve("examples").toFile().isDirectory() && dir.resolve("benchmarks").toFile().isDirectory()) {
                return dir;
            }
        }
        return from.toAbsolutePath();
    }

    Path demoJar() {
        return root.resolve("examples").resolve("target").resolve("carechat-demo.jar");
    }

    Path socketIoRelayDir() {
        return root.resolve("benchmarks").resolve("socketio-relay");
    }

    Path docsDir() {
        return root.resolve("docs");
    }

    private E2eOptions withPairs(int value) {
        return new E2eOptions(mode, value, rates, step, drain, warmup, warmupRate, failuresToStop, p99Limit, systemBudget, budget,
                storageMessages, postgresUrl, requirePostgres, skipPostgres, skipSocketIo, root);
    }

    private E2eOptions withRates(List<Integer> value) {
        return new E2eOptions(mode, pairs, value, step, drain, warmup, warmupRate, failuresToStop, p99Limit, systemBudget, budget,
                storageMessages, postgresUrl, requirePostgres, skipPostgres, skipSocketIo, root);
    }

    private E2eOptions withStep(Duration value) {
        return new E2eOptions(mode, pairs, rates, value, drain, warmup, warmupRate, failuresToStop, p99Limit, systemBudget, budget,
                storageMessages, postgresUrl, requirePostgres, skipPostgres, skipSocketIo, root);
    }

    private E2eOptions withPostgres(String url, boolean require, boolean skip) {
        return new E2eOptions(mode, pairs, rates, step, drain, warmup, warmupRate, failuresToStop, p99Limit, systemBudget, budget,
                storageMessages, url, require, skip, skipSocketIo, root);
    }

    private static String value(List<String> args, int at) {
        if (at + 1 >= args.size()) {
            throw new IllegalArgumentException(args.get(at) + " needs a value");
        }
        return args.get(at + 1);
    }

    private static int positive(String flag, String text) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + " needs a positive whole number, was '" + text + "'");
    }

    static List<Integer> rates(String text) {
        List<Integer> out = Arrays.stream(text.split(",")).map(s -> positive("--rates", s)).toList();
        for (int i = 1; i < out.size(); i++) {
            if (out.get(i) <= out.get(i - 1)) {
                throw new IllegalArgumentException("--rates must rise, was " + text.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }
}

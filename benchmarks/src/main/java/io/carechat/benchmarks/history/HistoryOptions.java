package io.carechat.benchmarks.history;

import java.nio.file.Path;
import java.util.List;

/**
 * The shape of one history-size run: how many conversations, how many messages each holds at each
 * measured size, and how many samples each query gets. Immutable and thread-safe.
 *
 * @param mode "full" or "quick", for the report
 * @param conversations direct conversations, one patient each
 * @param conversationsPerDoctor conversations each doctor is in
 * @param messagesPerConversation at each measured size, the bulk-loaded messages per conversation
 *     (ascending); the size measured is this times {@code conversations}
 * @param warmup unmeasured calls of each query before its samples at each size
 * @param samples measured calls of each query at each size
 * @param bodyChars plaintext length of each loaded body
 * @param docsDir where the report and the plot are written
 */
record HistoryOptions(String mode, int conversations, int conversationsPerDoctor, List<Integer> messagesPerConversation,
        int warmup, int samples, int bodyChars, Path docsDir) {
    /** The report's file name in {@link #docsDir()}. */
    static final String REPORT = "benchmarks-history.md";
    /** The plot's file name in {@link #docsDir()}. */
    static final String PLOT = "benchmarks-history.png";

    /** Checks the values and copies the list. */
    HistoryOptions {
        messagesPerConversation = List.copyOf(messagesPerConversation);
        if (conversations < 1 || conversationsPerDoctor < 1 || warmup < 0 || samples < 1 || bodyChars < 1) {
            throw new IllegalArgumentException("conversations, conversations per doctor, samples and body length"
                    + " must be at least 1, warm-up at least 0");
        }
        for (int i = 0; i < messagesPerConversation.size(); i++) {
            if (messagesPerConversation.get(i) < 1
                    || i > 0 && messagesPerConversation.get(i) <= messagesPerConversation.get(i - 1)) {
                throw new IllegalArgumentException("messages per conversation must rise from at least 1");
            }
        }
    }

    /**
     * The workload: 50,000 conversations (1,000 doctors in 50 each), measured at 0.5 and 5 million
     * messages, 1,000 samples per query after 200 calls of warm-up.
     *
     * @param docsDir where to write
     * @return the options
     */
    static HistoryOptions full(Path docsDir) {
        return new HistoryOptions("full", 50_000, 50, List.of(10, 100), 200, 1_000, 200, docsDir);
    }

    /**
     * A small run that checks the machinery: 500 conversations, 5,000 then 20,000 messages, 30
     * samples per query.
     *
     * @param docsDir where to write
     * @return the options
     */
    static HistoryOptions quick(Path docsDir) {
        return new HistoryOptions("quick", 500, 50, List.of(10, 40), 10, 30, 200, docsDir);
    }

    /**
     * Reads the command line after {@code history}.
     *
     * @param args {@code --quick} and {@code --root DIR} (the repository, holding docs/), in any order
     * @return the options
     * @throws IllegalArgumentException on an unknown argument
     */
    static HistoryOptions parse(List<String> args) {
        boolean quick = false;
        Path root = Path.of("");
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--quick" -> quick = true;
                case "--root" -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException("--root needs a folder");
                    }
                    root = Path.of(args.get(++i));
                }
                default -> throw new IllegalArgumentException("unknown argument " + args.get(i));
            }
        }
        Path docs = root.resolve("docs");
        return quick ? quick(docs) : full(docs);
    }

    /** @return the number of messages bulk-loaded at measured size {@code i} */
    long messagesAt(int i) {
        return (long) messagesPerConversation.get(i) * conversations;
    }
}

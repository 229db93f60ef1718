package io.carechat.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a server process holds, read from outside as an operator would: its threads and open files
 * from {@code /proc/<pid>}, and its heap in use right after a full collection, through
 * {@code jcmd <pid> GC.run} and {@code GC.heap_info}. Linux only.
 *
 * <p>The demo's fixed-size pools (hub workers, HTTP threads) start their threads as work comes and
 * keep them, so a thread count grows with load up to the pools' sizes and stays there; {@link
 * #otherThreads} counts the threads outside those pools, which must come back to their level.
 *
 * @param threads live threads
 * @param otherThreads live threads outside the fixed-size pools
 * @param openFiles open file descriptors (sockets included)
 * @param heapUsedKiB heap in use after a collection, in KiB
 */
record ServerResources(long threads, long otherThreads, long openFiles, long heapUsedKiB) {
    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private static final Pattern THREAD_NAME = Pattern.compile("(?m)^\"([^\"]*)\" #\\d+");
    /** The fixed-size pools of {@code ServerNode}, by thread name, with their sizes. */
    static final java.util.Map<String, Integer> POOLS = java.util.Map.of("carechat-hub-worker", 64, "carechat-http", 32);

    /** Measures the process now; collects garbage first so the heap figure is what is live. */
    static ServerResources of(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        Matcher used = USED.matcher(jcmd(pid, "GC.heap_info"));
        if (!used.find()) {
            throw new IllegalStateException("jcmd GC.heap_info printed no heap use");
        }
        return new ServerResources(threads(pid), otherThreads(pid), openFiles(pid), Long.parseLong(used.group(1)));
    }

    /** The process's Java threads per name (the JVM's own threads left out), from {@code jcmd <pid> Thread.print}. */
    static java.util.Map<String, Long> threadNames(long pid) {
        try {
            Matcher names = THREAD_NAME.matcher(jcmd(pid, "Thread.print"));
            java.util.Map<String, Long> counts = new java.util.HashMap<>();
            while (names.find()) {
                counts.merge(names.group(1), 1L, Long::sum);
            }
            return counts;
        } catch (IOException e) {
            throw new IllegalStateException("no thread dump of " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The process's threads outside the fixed-size pools; fails if a pool has more threads than its size. */
    static long otherThreads(long pid) {
        long others = 0;
        for (java.util.Map.Entry<String, Long> name : threadNames(pid).entrySet()) {
            Integer poolSize = POOLS.get(name.getKey());
            if (poolSize == null) {
                others += name.getValue();
            } else if (name.getValue() > poolSize) {
                throw new AssertionError(name.getValue() + " threads named " + name.getKey() + ", more than its pool's "
                        + poolSize);
            }
        }
        return others;
    }

    /** The process's live threads, from {@code /proc/<pid>/status}. */
    static long threads(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Threads:")) {
                    return Long.parseLong(line.substring("Threads:".length()).trim());
                }
            }
            throw new IllegalStateException("no Threads line for " + pid);
        } catch (IOException e) {
            throw new IllegalStateException("the process " + pid + " is gone", e);
        }
    }

    /** The process's open file descriptors, from {@code /proc/<pid>/fd}. */
    static long openFiles(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new IllegalStateException("the process " + pid + " is gone", e);
        }
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
                .redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("jcmd " + command + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
        return new String(output, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return threads + " threads (" + otherThreads + " outside the fixed pools), " + openFiles + " open files, " + (heapUsedKiB / 1024) + " MiB heap after GC";
    }
}

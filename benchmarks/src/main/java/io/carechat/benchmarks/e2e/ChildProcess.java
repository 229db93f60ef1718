package io.carechat.benchmarks.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A process the benchmark starts (the demo server, the Socket.IO relay), with its output in a file.
 * Every one is also registered with a JVM shutdown hook that kills it, and its children, if the
 * benchmark exits or is interrupted before closing it. Its standard input stays an open pipe, so a
 * child that watches it can also notice when the benchmark is gone. Thread-safe. Lifecycle: {@link
 * #start}, then {@link #close()} once.
 */
final class ChildProcess implements AutoCloseable {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcess::killAll, "carechat-bench-child-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path output;

    private ChildProcess(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    /**
     * Starts a process whose environment holds no inherited {@code CARECHAT_*} variable.
     *
     * @param name for messages
     * @param command the command line
     * @param env variables to set
     * @param workDir its working folder; its output goes to {@code <name>.log} in there
     */
    static ChildProcess start(String name, List<String> command, Map<String, String> env, Path workDir)
            throws IOException {
        Files.createDirectories(workDir);
        Path output = workDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CARECHAT_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        LIVE.add(process);
        return new ChildProcess(name, process, output);
    }

    /** @return a free TCP port on loopback */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** @return what it printed so far */
    String output() {
        try {
            return Files.exists(output) ? Files.readString(output) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** @return the file its output goes to */
    Path outputFile() {
        return output;
    }

    /**
     * Waits until its output contains {@code text}.
     *
     * @throws IllegalStateException if it exits first or the time runs out
     */
    void awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (output().contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + output);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " did not print '" + text + "' within " + timeout + "; see " + output);
    }

    /** @return whether it still runs */
    boolean isAlive() {
        return process.isAlive();
    }

    /** Asks it to stop (SIGTERM), waits a few seconds, then kills it and its children. */
    @Override
    public void close() {
        stop(process, Duration.ofSeconds(10));
        LIVE.remove(process);
    }

    private static void stop(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void killAll() {
        for (Process process : LIVE) {
            process.destroy();
        }
        for (Process process : LIVE) {
            stop(process, Duration.ofSeconds(3));
        }
    }
}

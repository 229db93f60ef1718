package io.carechat.benchmarks.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything one end-to-end run found, for the Markdown report and the plot. Immutable.
 *
 * @param options how the run was shaped
 * @param machine cores, memory, OS and JDK
 * @param started when it began
 * @param took how long it took
 * @param systems each system's steps, in run order
 * @param storage in-process send against the batched-INSERT ceiling, per database
 * @param notes what was skipped or went wrong, one sentence each
 * @param plotFile the PNG's file name, next to the report
 */
record RunReport(E2eOptions options, String machine, Instant started, Duration took, List<SystemRun> systems,
        List<StorageRatio> storage, List<String> notes, String plotFile) {

    RunReport {
        systems = List.copyOf(systems);
        storage = List.copyOf(storage);
        notes = List.copyOf(notes);
    }

    Optional<SystemRun> system(SystemKind kind) {
        return systems.stream().filter(s -> s.kind() == kind && s.ran()).findFirst();
    }

    Optional<StorageRatio> storage(String database) {
        return storage.stream().filter(s -> s.database().equals(database) && s.ran()).findFirst();
    }
}

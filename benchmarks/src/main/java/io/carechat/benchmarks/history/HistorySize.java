package io.carechat.benchmarks.history;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one measured history size gave: the rows in the tables, the load's duration, each query's
 * latency and the plans of the statements it ran. Immutable.
 *
 * @param nominalMessages the size measured (bulk-loaded messages in total)
 * @param rows rows per table after the load, counted
 * @param loadTime how long the bulk load of this step took, {@code VACUUM (ANALYZE)} included
 * @param loadAverage the machine's one-minute load average when measuring began, or -1 if unknown
 * @param latencies per query
 * @param plans per query, one per distinct statement
 */
record HistorySize(long nominalMessages, Map<String, Long> rows, Duration loadTime, double loadAverage,
        Map<HistoryQuery, Latency> latencies, Map<HistoryQuery, List<PlanExplainer.Plan>> plans) {
    /** Copies the maps. */
    HistorySize {
        rows = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rows));
        latencies = Map.copyOf(latencies);
        plans = Map.copyOf(plans);
    }
}

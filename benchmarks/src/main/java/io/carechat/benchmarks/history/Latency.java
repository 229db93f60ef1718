package io.carechat.benchmarks.history;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of one query's samples at one history size, in milliseconds. Immutable.
 *
 * @param samples how many calls were measured
 * @param p50Millis the median
 * @param p99Millis the 99th percentile
 * @param maxMillis the slowest
 */
record Latency(long samples, double p50Millis, double p99Millis, double maxMillis) {
    /**
     * @param micros a histogram of call times in microseconds
     * @return its percentiles
     */
    static Latency of(Histogram micros) {
        return new Latency(micros.getTotalCount(), micros.getValueAtPercentile(50) / 1000.0,
                micros.getValueAtPercentile(99) / 1000.0, micros.getMaxValue() / 1000.0);
    }
}

/**
 * The history-size benchmark: CareChat's read and send paths on PostgreSQL as the message history
 * grows from half a million to five million messages, loaded in bulk with {@code COPY}, with the
 * plan of every statement the product runs. Entry point:
 * {@link io.carechat.benchmarks.history.HistoryBenchmark}. Not API.
 */
package io.carechat.benchmarks.history;

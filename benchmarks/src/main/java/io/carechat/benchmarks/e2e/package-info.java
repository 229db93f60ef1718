/**
 * The end-to-end benchmark: CareChat's demo server as a process, on H2 and on PostgreSQL, driven
 * over loopback WebSockets by an open-loop generator, next to a bare Java-WebSocket relay and a
 * Socket.IO relay driven by the same generator, and the database's batched-INSERT ceiling. Latency
 * is measured at the receiver from each message's intended send time. Entry point:
 * {@link io.carechat.benchmarks.e2e.EndToEndBenchmark}. Not API.
 */
package io.carechat.benchmarks.e2e;

/**
 * Benchmarks of CareChat's hot paths. Each reports its throughput next to a ceiling measured in
 * the same run on the same database, and the ratio between them, so results compare across
 * machines. Not published; run with {@code java -cp ... io.carechat.benchmarks.Benchmarks}.
 */
package io.carechat.benchmarks;

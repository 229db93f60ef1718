/**
 * Benchmarks of CareChat's hot paths. Each reports its throughput next to a ceiling measured in
 * the same run on the same database, and the ratio between them, so results compare across
 * machines. Not published; run with {@code java -jar benchmarks/target/carechat-benchmarks.jar}, and
 * the end-to-end benchmark (package {@code e2e}) with {@code ... carechat-benchmarks.jar e2e}.
 */
package io.carechat.benchmarks;

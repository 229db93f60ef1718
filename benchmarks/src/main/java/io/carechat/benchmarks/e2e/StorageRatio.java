package io.carechat.benchmarks.e2e;

import io.carechat.benchmarks.Measurement;

/**
 * CareChat's in-process send rate on one database next to that database's batched-INSERT ceiling
 * at the same durability (every batch committed), both with bodies of the end-to-end size.
 * Immutable.
 *
 * @param database e.g. "H2 (file)"
 * @param send the in-process send measurement, null when skipped
 * @param ceiling the ceiling measurement, null when skipped
 * @param skipped why it did not run, or null
 */
record StorageRatio(String database, Measurement send, Measurement ceiling, String skipped) {

    boolean ran() {
        return skipped == null && send != null && ceiling != null;
    }

    double ratio() {
        return ran() ? send.perSecond() / ceiling.perSecond() : 0;
    }
}

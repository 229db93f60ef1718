package io.carechat.benchmarks.e2e;

import java.util.List;

/**
 * A messaging system the generator drives: CareChat's demo server, or a relay it is compared with.
 * Lifecycle: started by its factory, {@link #connect} once, {@link #close()} once (which stops any
 * process it started). Implementations are driven from one thread.
 */
interface SystemUnderTest extends AutoCloseable {

    /** The sending half of one pair, speaking the system's wire format. Thread-safe. */
    interface PairSender {
        /**
         * Queues a message to the pair's receiver without blocking.
         *
         * @param body the body, from {@link Payload#body}
         * @param sequence a number unique in the run, for idempotency keys
         */
        void send(String body, long sequence);

        /** @return frames not yet written, dropped now */
        int discardPending();
    }

    /** @return the name in reports, e.g. "CareChat on H2 (file)" */
    String name();

    /**
     * Sets up {@code pairs} sender–receiver pairs, connected and ready, whose receivers report to
     * {@code measurements}.
     *
     * @return one sender per pair
     * @throws Exception if setup fails
     */
    List<PairSender> connect(int pairs, Measurements measurements) throws Exception;

    /** Closes every socket and stops what this system started. */
    @Override
    void close();
}

package io.carechat.messaging.spi;

import java.util.List;

/**
 * Stores legal holds. Implementations are thread-safe; the kit's {@code LegalHoldStoreContract}
 * checks them. Reference implementations: {@code InMemoryLegalHoldStore} and the JDBC adapter's
 * {@code JdbcStorage.legalHolds()}.
 */
public interface LegalHoldStore {

    /**
     * Places a hold. Placing a hold with an id already stored changes nothing.
     *
     * @param hold the hold
     * @return true if stored now, false if a hold with that id was already there
     */
    boolean place(LegalHold hold);

    /**
     * Releases a hold.
     *
     * @param id the hold's id
     * @return true if it was there
     */
    boolean release(String id);

    /**
     * Every hold in force, oldest first.
     *
     * @return the holds
     */
    List<LegalHold> all();
}

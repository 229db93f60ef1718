package io.carechat.messaging.spi;

import io.carechat.messaging.model.BreakGlassGrant;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Keeps break-glass grants: who opened which conversation in an emergency, why, and until when.
 * Grants are never changed or deleted by CareChat; whether one holds is judged from its expiry at
 * each check. The reason arrives already sealed by the facade and is kept as given.
 *
 * <p>A {@link MessageStore} of the same storage accepts a message from a sender who is not a
 * member when that sender holds a grant on the conversation active at the message's
 * {@code sentAt}, checked in the append's own transaction.
 *
 * <p>Implementations are thread-safe; the kit's {@code BreakGlassStoreContract} checks them.
 * Reference implementations: {@code InMemoryBreakGlassStore} and the JDBC adapter's
 * {@code JdbcStorage.breakGlass()}.
 */
public interface BreakGlassStore {

    /**
     * Keeps a new grant. A doctor may hold several grants on one conversation; access lasts
     * until the latest one expires.
     *
     * @param grant the grant, reason sealed
     * @throws io.carechat.messaging.error.ConflictException if a grant with that id is stored
     */
    void save(BreakGlassGrant grant);

    /**
     * The grant of a doctor on a conversation that holds at {@code now}, the one expiring last
     * when there are several.
     *
     * @param conversationId the conversation
     * @param doctorId the doctor
     * @param now the instant judged
     * @return the grant, or empty when none holds
     */
    Optional<BreakGlassGrant> active(ConversationId conversationId, UserId doctorId, Instant now);

    /**
     * A grant by its id, whether or not it still holds: for an admin reviewing it.
     *
     * @param id the grant's id
     * @return the grant, reason sealed, or empty
     */
    Optional<BreakGlassGrant> find(String id);

    /**
     * Every grant that holds at {@code now}, on any conversation, oldest first: what a node loads
     * to address live events to the holders.
     *
     * @param now the instant judged
     * @param limit the most to return, 1 to 10,000
     * @return the grants
     */
    List<BreakGlassGrant> allActive(Instant now, int limit);
}

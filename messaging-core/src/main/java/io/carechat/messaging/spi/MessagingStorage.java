package io.carechat.messaging.spi;

/**
 * All the stores one storage technology provides, so an application wires storage with one
 * builder call. Each accessor returns the same instance every time. Implementations are
 * thread-safe.
 */
public interface MessagingStorage {

    /**
     * Accounts and password hashes.
     *
     * @return the user store
     */
    UserStore users();

    /**
     * Conversations and members.
     *
     * @return the conversation store
     */
    ConversationStore conversations();

    /**
     * Messages.
     *
     * @return the message store
     */
    MessageStore messages();

    /**
     * Receipts and unread counts.
     *
     * @return the receipt store
     */
    ReceiptStore receipts();

    /**
     * Role requests.
     *
     * @return the role request store
     */
    RoleRequestStore roleRequests();

    /**
     * Refresh tokens, as hashes. {@code Messaging} uses this store for its accounts unless the
     * builder is given another one.
     *
     * @return the refresh token store
     */
    RefreshTokenStore refreshTokens();
}

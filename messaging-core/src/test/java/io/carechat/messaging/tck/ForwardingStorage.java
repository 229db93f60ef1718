package io.carechat.messaging.tck;

import io.carechat.messaging.spi.ConversationStore;
import io.carechat.messaging.spi.MessageStore;
import io.carechat.messaging.spi.MessagingStorage;
import io.carechat.messaging.spi.ReceiptStore;
import io.carechat.messaging.spi.RefreshTokenStore;
import io.carechat.messaging.spi.RoleRequestStore;
import io.carechat.messaging.spi.UserStore;

/**
 * Storage that hands every store of another storage through, for tests that replace or watch one
 * store and keep the rest: override the accessor of the store to replace. Thread-safe as the
 * storage it wraps.
 */
public class ForwardingStorage implements MessagingStorage {
    private final MessagingStorage delegate;

    /**
     * Wraps a storage.
     *
     * @param delegate the storage whose stores are handed through
     */
    public ForwardingStorage(MessagingStorage delegate) {
        this.delegate = delegate;
    }

    @Override
    public UserStore users() {
        return delegate.users();
    }

    @Override
    public ConversationStore conversations() {
        return delegate.conversations();
    }

    @Override
    public MessageStore messages() {
        return delegate.messages();
    }

    @Override
    public ReceiptStore receipts() {
        return delegate.receipts();
    }

    @Override
    public RoleRequestStore roleRequests() {
        return delegate.roleRequests();
    }

    @Override
    public RefreshTokenStore refreshTokens() {
        return delegate.refreshTokens();
    }
}

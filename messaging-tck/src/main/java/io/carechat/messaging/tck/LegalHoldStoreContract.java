package io.carechat.messaging.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.LegalHold;
import io.carechat.messaging.spi.LegalHoldStore;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit for {@link LegalHoldStore}. Subclass it and return a fresh, empty store
 * from {@link #createStore()}, such as the {@link io.carechat.messaging.spi.MessagingStorage#legalHolds()}
 * of a fresh storage. Not thread-safe itself: JUnit makes one instance per test, which calls
 * {@link #createStore()} before the test and {@link #disposeStore()} after it.
 */
@DisplayName("LegalHoldStore contract")
public abstract class LegalHoldStoreContract {
    private static final Instant T0 = Instant.parse("2026-02-01T09:00:00Z");
    private static final UserId ADMIN = UserId.of("admin-1");

    private LegalHoldStore store;

    /**
     * Makes a fresh, empty store.
     *
     * @return the store
     */
    protected abstract LegalHoldStore createStore();

    /** Releases what {@link #createStore()} made; the default does nothing. */
    protected void disposeStore() {}

    @BeforeEach
    void create() {
        store = createStore();
    }

    @AfterEach
    void dispose() {
        disposeStore();
    }

    @Test
    @DisplayName("holds on a conversation and on a user are kept with every field, oldest first")
    void keepsHolds() {
        LegalHold onUser = LegalHold.onUser("hold-2", UserId.of("patient-9"), ADMIN, T0.plusSeconds(5));
        LegalHold onConversation = LegalHold.onConversation("hold-1", ConversationId.of("conv-3"), ADMIN, T0);
        assertThat(store.place(onUser)).isTrue();
        assertThat(store.place(onConversation)).isTrue();
        assertThat(store.all()).containsExactly(onConversation, onUser);
    }

    @Test
    @DisplayName("placing a hold id twice keeps the first")
    void idempotent() {
        LegalHold first = LegalHold.onUser("hold-1", UserId.of("patient-9"), ADMIN, T0);
        store.place(first);
        assertThat(store.place(LegalHold.onUser("hold-1", UserId.of("patient-8"), ADMIN, T0))).isFalse();
        assertThat(store.all()).containsExactly(first);
    }

    @Test
    @DisplayName("a released hold is gone; releasing it again says so")
    void release() {
        store.place(LegalHold.onConversation("hold-1", ConversationId.of("conv-3"), ADMIN, T0));
        assertThat(store.release("hold-1")).isTrue();
        assertThat(store.release("hold-1")).isFalse();
        assertThat(store.all()).isEmpty();
    }
}

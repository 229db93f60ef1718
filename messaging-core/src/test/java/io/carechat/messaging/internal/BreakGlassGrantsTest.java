package io.carechat.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.event.BreakGlassGranted;
import io.carechat.messaging.event.Resync;
import io.carechat.messaging.memory.InMemoryBreakGlassStore;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.model.BreakGlassGrant;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("BreakGlassGrants: whom live events reach besides the members")
class BreakGlassGrantsTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final ConversationId CONVERSATION = ConversationId.of("conv-1");
    private static final UserId DOCTOR = UserId.of("doctor-1");

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryBreakGlassStore store = new InMemoryBreakGlassStore();
    private final InMemoryEventBus bus = new InMemoryEventBus();

    @AfterEach
    void close() {
        bus.close();
    }

    private BreakGlassGrant stored(Duration lasting) {
        BreakGlassGrant grant = new BreakGlassGrant("grant-" + clock.instant().getEpochSecond(), CONVERSATION, DOCTOR,
                "/sealed/x", clock.instant(), clock.instant().plus(lasting));
        store.save(grant);
        return grant;
    }

    @Test
    @DisplayName("grants active when a node starts are loaded; expired ones are not")
    void loadsActiveAtStart() {
        stored(Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(2));
        BreakGlassGrant active = stored(Duration.ofMinutes(10));
        try (BreakGlassGrants grants = new BreakGlassGrants(store, clock, bus)) {
            assertThat(grants.holders(CONVERSATION)).containsExactly(active.doctorId());
        }
    }

    @Test
    @DisplayName("a grant made on another node reaches this one through the bus, and ends here at its expiry")
    void learnsFromTheBusAndExpires() {
        try (BreakGlassGrants grants = new BreakGlassGrants(store, clock, bus)) {
            assertThat(grants.holders(CONVERSATION)).isEmpty();
            bus.publish(new BreakGlassGranted("grant-9", CONVERSATION, DOCTOR, T0, T0.plusSeconds(60)));
            assertThat(grants.holders(CONVERSATION)).containsExactly(DOCTOR);
            clock.advance(Duration.ofSeconds(60));
            assertThat(grants.holders(CONVERSATION)).isEmpty();
        }
    }

    @Test
    @DisplayName("after a resync the grants are read again from the store, so a missed announcement is made good")
    void resyncReloads() {
        try (BreakGlassGrants grants = new BreakGlassGrants(store, clock, bus)) {
            stored(Duration.ofMinutes(10));
            assertThat(grants.holders(CONVERSATION)).as("the announcement was missed").isEmpty();
            bus.publish(new Resync());
            assertThat(grants.holders(CONVERSATION)).containsExactly(DOCTOR);
        }
    }

    @Test
    @DisplayName("whether a user may act is read from the store each time, so a grant counts before its announcement")
    void holdsReadsTheStore() {
        try (BreakGlassGrants grants = new BreakGlassGrants(store, clock, bus)) {
            assertThat(grants.holds(CONVERSATION, DOCTOR)).isFalse();
            stored(Duration.ofMinutes(10));
            assertThat(grants.holds(CONVERSATION, DOCTOR)).isTrue();
            clock.advance(Duration.ofMinutes(10));
            assertThat(grants.holds(CONVERSATION, DOCTOR)).isFalse();
        }
    }
}

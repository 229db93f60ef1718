package io.carechat.messaging.hub;

import static io.carechat.messaging.hub.HubFixture.ADMIN;
import static io.carechat.messaging.hub.HubFixture.ANN;
import static io.carechat.messaging.hub.HubFixture.DOCTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.model.BreakGlassGrant;
import io.carechat.messaging.model.Caller;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.protocol.ServerFrame;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The hub and break-glass grants")
class BreakGlassHubTest {
    private static final UserId ER_DOCTOR = UserId.of("dr-er");
    private final HubFixture fixture = new HubFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private HubFixture.Client erDoctor() {
        fixture.storage.users().create(new User(ER_DOCTOR, "dr-er", "er@example.org", "Dr ER", Set.of(Role.DOCTOR),
                true, fixture.clock.instant()), "not-a-real-hash");
        return fixture.open(fixture.tokenClaiming(ER_DOCTOR, Set.of(Role.DOCTOR)));
    }

    private static Caller er() {
        return Caller.of(ER_DOCTOR, Set.of(Role.DOCTOR));
    }

    @Test
    @DisplayName("a grant holder's sockets get the conversation's messages and typing while the grant lasts,"
            + " and none after it expires")
    void liveFramesUntilExpiry() {
        HubFixture.Client er = erDoctor();
        Conversation conv = fixture.messaging.openDirect(fixture.caller(DOCTOR), ANN);
        fixture.messaging.send(fixture.caller(ANN), SendRequest.text(conv.id(), "a0", "before the grant"));
        assertThat(er.connection().frames(ServerFrame.Message.class)).isEmpty();

        BreakGlassGrant grant = fixture.messaging.breakGlass(er(), conv.id(), "Cardiac arrest, need history").grant();
        fixture.messaging.send(fixture.caller(ANN), SendRequest.text(conv.id(), "a1", "during the grant"));
        fixture.messaging.typing(fixture.caller(ANN), conv.id());

        assertThat(er.connection().frames(ServerFrame.Message.class)).singleElement()
                .satisfies(m -> assertThat(m.message().body()).isEqualTo("during the grant"));
        assertThat(er.connection().frames(ServerFrame.Typing.class)).hasSize(1);

        fixture.clock.advance(Duration.between(fixture.clock.instant(), grant.expiresAt()));
        fixture.messaging.send(fixture.caller(ANN), SendRequest.text(conv.id(), "a2", "after the grant"));
        fixture.messaging.typing(fixture.caller(ANN), conv.id());

        assertThat(er.connection().frames(ServerFrame.Message.class)).hasSize(1);
        assertThat(er.connection().frames(ServerFrame.Typing.class)).hasSize(1);
    }

    @Test
    @DisplayName("admins' sockets get a break_glass notice with the conversation, the doctor and the expiry;"
            + " others' do not")
    void adminNotice() {
        HubFixture.Client admin = fixture.connect(ADMIN);
        HubFixture.Client doctor = fixture.connect(DOCTOR);
        erDoctor();
        Conversation conv = fixture.messaging.openDirect(fixture.caller(DOCTOR), ANN);

        BreakGlassGrant grant = fixture.messaging.breakGlass(er(), conv.id(), "Cardiac arrest, need history").grant();

        assertThat(admin.connection().frames(ServerFrame.BreakGlassNotice.class)).containsExactly(
                new ServerFrame.BreakGlassNotice(grant.id(), conv.id(), ER_DOCTOR, grant.grantedAt(),
                        grant.expiresAt()));
        assertThat(doctor.connection().frames(ServerFrame.BreakGlassNotice.class)).isEmpty();
    }
}

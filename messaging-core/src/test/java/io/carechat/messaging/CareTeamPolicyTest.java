package io.carechat.messaging;

import static io.carechat.messaging.Clinic.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.User;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.spi.AccessPolicy;
import io.carechat.messaging.spi.UserStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A vendor's care-team rules replace the default policy with one builder call. */
@DisplayName("Replacing the access policy")
class CareTeamPolicyTest {

    /** A vendor's rule: a patient and the doctors of their care team may message each other. */
    record CareTeamPolicy(Map<UserId, Set<UserId>> careTeamOfPatient) implements AccessPolicy {
        @Override
        public boolean mayMessage(User from, User to) {
            return inTeam(from.id(), to.id()) || inTeam(to.id(), from.id());
        }

        private boolean inTeam(UserId patient, UserId doctor) {
            return careTeamOfPatient.getOrDefault(patient, Set.of()).contains(doctor);
        }

        @Override
        public List<User> contacts(User caller, UserStore users, int limit) {
            return users.findEnabledWithAnyRole(Set.of(Role.DOCTOR, Role.PATIENT), limit + 1).stream()
                    .filter(other -> mayMessage(caller, other))
                    .limit(limit)
                    .toList();
        }
    }

    @Test
    @DisplayName("with the default policy a patient may message any doctor")
    void defaultPolicyAllowsAnyDoctor() {
        try (Clinic clinic = new Clinic()) {
            assertThat(clinic.messaging.openDirect(as(clinic.patient), clinic.otherDoctor.id())).isNotNull();
            assertThat(clinic.messaging.contacts(as(clinic.patient))).extracting(c -> c.user().id())
                    .containsExactlyInAnyOrder(clinic.doctor.id(), clinic.otherDoctor.id());
        }
    }

    @Test
    @DisplayName("one accessPolicy(...) call makes the care-team rules decide conversations and contacts")
    void careTeamPolicyIsOneBuilderCall() {
        Map<UserId, Set<UserId>> teams = new ConcurrentHashMap<>();
        try (Clinic clinic = new Clinic(builder -> builder.accessPolicy(new CareTeamPolicy(teams)))) {
            teams.put(clinic.patient.id(), Set.of(clinic.doctor.id()));

            assertThat(clinic.messaging.openDirect(as(clinic.patient), clinic.doctor.id()).memberIds())
                    .containsExactlyInAnyOrder(clinic.patient.id(), clinic.doctor.id());
            assertThatThrownBy(() -> clinic.messaging.openDirect(as(clinic.patient), clinic.otherDoctor.id()))
                    .isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> clinic.messaging.openDirect(as(clinic.otherDoctor), clinic.patient.id()))
                    .isInstanceOf(ForbiddenException.class);
            assertThat(clinic.messaging.contacts(as(clinic.patient))).extracting(c -> c.user().id())
                    .containsExactly(clinic.doctor.id());
            assertThat(clinic.messaging.contacts(as(clinic.otherDoctor))).isEmpty();
        }
    }
}

package io.carechat.benchmarks.history;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.User;
import java.util.List;

/**
 * Who the loaded history belongs to: doctors, patients, and one direct conversation per patient
 * with a doctor, conversation {@code i} between patient {@code i} and doctor
 * {@code i % doctors.size()}. Immutable and thread-safe.
 *
 * @param doctors the doctors, each in {@code conversations / doctors} conversations
 * @param patients the patients, one conversation each
 * @param conversations the conversations, by patient index
 */
record Population(List<User> doctors, List<User> patients, List<ConversationId> conversations) {
    /** Copies the lists. */
    Population {
        doctors = List.copyOf(doctors);
        patients = List.copyOf(patients);
        conversations = List.copyOf(conversations);
    }

    /** @return the doctor of conversation {@code i} */
    User doctorOf(int i) {
        return doctors.get(i % doctors.size());
    }
}

package io.carechat.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.BadRequestException;
import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.error.ConflictException;
import io.carechat.messaging.error.ForbiddenException;
import io.carechat.messaging.error.NotFoundException;
import io.carechat.messaging.event.MessageRecalled;
import io.carechat.messaging.memory.InMemoryAttachmentStore;
import io.carechat.messaging.memory.InMemoryEventBus;
import io.carechat.messaging.memory.InMemoryStorage;
import io.carechat.messaging.model.AttachmentRef;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.spi.AuditEvent;
import io.carechat.messaging.spi.ForwardingStorage;
import io.carechat.messaging.spi.MessageRecall;
import io.carechat.messaging.spi.MessageStore;
import io.carechat.messaging.crypto.StaticKeyProvider;
import io.carechat.messaging.memory.InMemoryAuditSink;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Recall of a message through the facade")
class RecallTest {
    private static final String REASON = "CANARY-REASON wrong patient";

    private final List<MessageRecall> keptRecalls = new CopyOnWriteArrayList<>();
    private final InMemoryAttachmentStore attachments = new InMemoryAttachmentStore();
    private final Clinic clinic = new Clinic(b -> b.attachmentStore(attachments));
    private final Conversation chat = clinic.doctorAndPatient();

    @AfterEach
    void close() {
        clinic.close();
    }

    private Message send(String clientMsgId, String body) {
        return clinic.messaging.send(Clinic.as(clinic.doctor),
                new SendRequest(chat.id(), clientMsgId, body, Priority.NORMAL, List.of()));
    }

    private List<AuditEvent> audited(String action) {
        return clinic.audit.events().stream().filter(e -> e.action().equals(action)).toList();
    }

    @Test
    @DisplayName("the sender recalls within the window: history keeps the seq and shows a tombstone without body or attachments")
    void senderRecallsWithinWindow() {
        send("m1", "first");
        Message wrong = send("m2", "CANARY-BODY meant for another patient");
        send("m3", "third");
        clinic.clock.advance(Duration.ofMinutes(5));

        Message tombstone = clinic.messaging.recall(Clinic.as(clinic.doctor), chat.id(), wrong.seq(), REASON);

        assertThat(tombstone.recalled()).isTrue();
        assertThat(tombstone.recalledAt()).isEqualTo(clinic.clock.instant());
        for (var reader : List.of(clinic.patient, clinic.doctor)) {
            List<Message> history = clinic.messaging.history(Clinic.as(reader), chat.id(), null, null).messages();
            assertThat(history).extracting(Message::seq).containsExactly(1L, 2L, 3L);
            assertThat(history.get(1).recalled()).isTrue();
            assertThat(history.get(1).body()).isEmpty();
            assertThat(history.get(1).attachments()).isEmpty();
            assertThat(history.get(0).body()).isEqualTo("first");
            MessageView view = MessageView.of(history.get(1), reader.id());
            assertThat(view.recalled()).isTrue();
            assertThat(view.body()).isEmpty();
        }
        assertThat(clinic.messaging.backlog(Clinic.as(clinic.patient), chat.id()))
                .filteredOn(Message::recalled).extracting(Message::seq).containsExactly(2L);
    }

    @Test
    @DisplayName("every member hears of the recall through one MessageRecalled event, and it is audited on the message")
    void recallIsPublishedAndAudited() {
        Message wrong = send("m1", "oops");
        clinic.messaging.recall(Clinic.as(clinic.doctor), chat.id(), wrong.seq(), REASON);

        assertThat(clinic.events(MessageRecalled.class)).singleElement().satisfies(e -> {
            assertThat(e.conversationId()).isEqualTo(chat.id());
            assertThat(e.seq()).isEqualTo(wrong.seq());
            assertThat(e.memberIds()).containsExactlyInAnyOrder(clinic.doctor.id(), clinic.patient.id());
        });
        assertThat(audited("message.recall")).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
            assertThat(e.actorId()).isEqualTo(clinic.doctor.id());
            assertThat(e.objectType()).isEqualTo("message");
            assertThat(e.objectId()).isEqualTo(wrong.id().value());
            assertThat(e.patientId()).isEqualTo(clinic.patient.id());
            assertThat(e.toString()).doesNotContain("CANARY");
        });
    }

    @Test
    @DisplayName("at the end of the window a recall still works; one second later it is forbidden, audited, and nothing changes")
    void windowEdge() {
        Message atEdge = send("m1", "edge");
        clinic.clock.advance(Duration.ofMinutes(15));
        clinic.messaging.recall(Clinic.as(clinic.doctor), chat.id(), atEdge.seq(), REASON);

        Message late = send("m2", "late");
        clinic.clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertThatThrownBy(() -> clinic.messaging.recall(Clinic.as(clinic.doctor), chat.id(), late.seq(), REASON))
                .isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("900 seconds");
        assertThat(clinic.messaging.history(Clinic.as(clinic.patient), chat.id(), null, null).messages().get(1).body())
                .isEqualTo("late");
        assertThat(audited("message.recall")).filteredOn(e -> e.outcome() == AuditEvent.Outcome.FAILURE)
                .singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo("window_passed"));
        assertThat(clinic.events(MessageRecalled.class)).hasSize(1);
    }

    @Test
    @DisplayName("only the sender may recall: another member is forbidden and the refusal is audited")
    void onlySender() {
        Message m = send("m1", "mine");
        assertThatThrownBy(() -> clinic.messaging.recall(Clinic.as(clinic.patient), chat.id(), m.seq(), REASON))
                .isInstanceOf(ForbiddenException.class)
                .hasMessage("only the sender may recall a message");
        assertThat(clinic.messaging.history(Clinic.as(clinic.patient), chat.id(), null, null).messages())
                .noneMatch(Message::recalled);
        assertThat(audited("message.recall")).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("not_sender"));
    }

    @Test
    @DisplayName("a non-member and an unknown seq get not found; a blank reason is a bad request")
    void notFoundAndBadRequest() {
        Message m = send("m1", "mine");
        assertThatThrownBy(() -> clinic.messaging.recall(Clinic.as(clinic.otherDoctor), chat.id(), m.seq(), REASON))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> clinic.messaging.recall(Clinic.as(clinic.doctor), chat.id(), 99, REASON))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> clinic.messaging.recall(Clinic.as(clinic.doctor), chat.id(), m.seq(), "  "))
                .isInstanceOf(BadRequestException.class);
        assertThat(clinic.events(MessageRecalled.class)).isEmpty();
    }

    @Test
    @DisplayName("recalling twice keeps the first recall and publishes once")
    void twice() {
        Message m = send("m1", "mine");
        Message first = clinic.messaging.recall(Clinic.as(clinic.doctor), chat.id(), m.seq(), REASON);
        clinic.clock.advance(Duration.ofSeconds(30));
        Message second = clinic.messaging.recall(Clinic.as(clinic.doctor), chat.id(), m.seq(), REASON);
        assertThat(second.recalledAt()).isEqualTo(first.recalledAt());
        assertThat(clinic.events(MessageRecalled.class)).hasSize(1);
    }

    @Test
    @DisplayName("the attachments of a recalled message can no longer be downloaded, by the other member or the uploader")
    void attachmentsRefused() {
        AttachmentRef ref = clinic.messaging.uploadAttachment(Clinic.as(clinic.doctor), "scan.pdf", "application/pdf",
                new ByteArrayInputStream(AttachmentsTest.pdf(300, "x")));
        Message m = clinic.messaging.send(Clinic.as(clinic.doctor),
                new SendRequest(chat.id(), "m1", "see attached", Priority.NORMAL, List.of(ref.id())));
        assertThat(clinic.messaging.downloadAttachment(Clinic.as(clinic.patient), ref.id()).content()).isNotEmpty();

        clinic.messaging.recall(Clinic.as(clinic.doctor), chat.id(), m.seq(), REASON);

        assertThatThrownBy(() -> clinic.messaging.downloadAttachment(Clinic.as(clinic.patient), ref.id()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> clinic.messaging.downloadAttachment(Clinic.as(clinic.doctor), ref.id()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("sending a recalled message's clientMsgId again is a conflict, not a copy of the original")
    void repeatAfterRecall() {
        Message m = send("m1", "CANARY-BODY");
        clinic.messaging.recall(Clinic.as(clinic.doctor), chat.id(), m.seq(), REASON);
        assertThatThrownBy(() -> send("m1", "CANARY-BODY")).isInstanceOf(ConflictException.class);
    }

    @Test
    @DisplayName("the reason reaches the store sealed, never in clear")
    void reasonSealed() {
        InMemoryStorage real = new InMemoryStorage();
        MessageStore recording = new MessageStore() {
            @Override
            public io.carechat.messaging.spi.AppendResult append(io.carechat.messaging.spi.NewMessage message) {
                return real.messages().append(message);
            }

            @Override
            public io.carechat.messaging.model.HistoryPage history(io.carechat.messaging.model.ConversationId id,
                    Long beforeSeq, int limit) {
                return real.messages().history(id, beforeSeq, limit);
            }

            @Override
            public List<Message> after(io.carechat.messaging.model.ConversationId id, long afterSeq, int limit) {
                return real.messages().after(id, afterSeq, limit);
            }

            @Override
            public Optional<Message> find(io.carechat.messaging.model.ConversationId id, long seq) {
                return real.messages().find(id, seq);
            }

            @Override
            public Optional<Message> recall(MessageRecall recall) {
                keptRecalls.add(recall);
                return real.messages().recall(recall);
            }
        };
        InMemoryEventBus bus = new InMemoryEventBus();
        Messaging messaging = Messaging.builder().storage(new ForwardingStorage(real) {
            @Override
            public MessageStore messages() {
                return recording;
            }
        }).eventBus(bus).auditSink(new InMemoryAuditSink()).keyProvider(StaticKeyProvider.generate("k1")).build();
        try {
            var doctor = real.users().create(new io.carechat.messaging.model.User(
                    io.carechat.messaging.model.UserId.random(), "doc", "doc@x.example", "Doc",
                    java.util.Set.of(io.carechat.messaging.model.Role.DOCTOR), true, Clinic.START), "h");
            var patient = real.users().create(new io.carechat.messaging.model.User(
                    io.carechat.messaging.model.UserId.random(), "pat", "pat@x.example", "Pat",
                    java.util.Set.of(io.carechat.messaging.model.Role.PATIENT), true, Clinic.START), "h");
            Conversation c = messaging.openDirect(Clinic.as(doctor), patient.id());
            Message m = messaging.send(Clinic.as(doctor),
                    new SendRequest(c.id(), "m1", "text", Priority.NORMAL, List.of()));
            messaging.recall(Clinic.as(doctor), c.id(), m.seq(), REASON);
        } finally {
            messaging.close();
            bus.close();
        }
        assertThat(keptRecalls).singleElement().satisfies(r -> {
            assertThat(r.sealedReason()).startsWith("/sealed/").doesNotContain("CANARY");
            assertThat(r.toString()).doesNotContain("CANARY").doesNotContain("/sealed/");
        });
    }

    @Test
    @DisplayName("the window is configurable from one second; less is a configuration error")
    void configurableWindow() {
        try (Clinic quick = new Clinic(b -> b.recallWindow(Duration.ofSeconds(1)))) {
            Conversation c = quick.doctorAndPatient();
            Message m = quick.messaging.send(Clinic.as(quick.doctor),
                    new SendRequest(c.id(), "m1", "x", Priority.NORMAL, List.of()));
            quick.clock.advance(Duration.ofSeconds(2));
            assertThatThrownBy(() -> quick.messaging.recall(Clinic.as(quick.doctor), c.id(), m.seq(), REASON))
                    .isInstanceOf(ForbiddenException.class);
            assertThat(quick.messaging.recallWindow()).isEqualTo(Duration.ofSeconds(1));
        }
        assertThatThrownBy(() -> new Clinic(b -> b.recallWindow(Duration.ofMillis(999))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("recallWindow must be at least 1 second");
    }
}

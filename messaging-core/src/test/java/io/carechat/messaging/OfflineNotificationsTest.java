package io.carechat.messaging;

import static io.carechat.messaging.Clinic.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.error.ConfigurationException;
import io.carechat.messaging.event.PresenceChanged;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.Message;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.notify.NotificationSettings;
import io.carechat.messaging.spi.Notifier;
import io.carechat.messaging.spi.OfflineNotice;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Offline notifications through a Notifier")
class OfflineNotificationsTest {
    private static final String LINK = "https://ehr.example/carechat/#/conversations";
    private static final Duration DELAY = Duration.ofSeconds(60);
    private static final Duration QUIET = Duration.ofMinutes(15);

    /** A clinic whose facade notifies through {@link #notifier}, checked when the test ticks the timer. */
    private static final class NotifyingClinic implements AutoCloseable {
        final ManualTimer timer = new ManualTimer();
        final List<Runnable> calls = new ArrayList<>();
        final List<OfflineNotice> notices = new CopyOnWriteArrayList<>();
        final Clinic clinic;
        Notifier notifier = notices::add;
        final Conversation conversation;

        NotifyingClinic() {
            this(NotificationSettings.builder(LINK).delay(DELAY).quietPeriod(QUIET).build());
        }

        NotifyingClinic(NotificationSettings settings) {
            Executor queued = calls::add;
            clinic = new Clinic(b -> b.notifier(notice -> notifier.deliver(notice), settings, timer, queued));
            conversation = clinic.doctorAndPatient();
        }

        Message doctorSends(String clientMsgId, String body) {
            return clinic.messaging.send(as(clinic.doctor), SendRequest.text(conversation.id(), clientMsgId, body));
        }

        /** Lets time pass, runs the facade's check, then the notifier calls it handed out. */
        void after(Duration time) {
            clinic.clock.advance(time);
            timer.tick();
            List<Runnable> due = List.copyOf(calls);
            calls.clear();
            due.forEach(Runnable::run);
        }

        @Override
        public void close() {
            clinic.close();
        }
    }

    @Nested
    @DisplayName("when the notifier is called")
    class When {

        @Test
        @DisplayName("a user still offline with the message unread is told once the delay has passed, not before")
        void afterTheDelay() {
            try (NotifyingClinic n = new NotifyingClinic()) {
                n.doctorSends("m1", "Your results are in");

                n.after(Duration.ZERO);
                n.after(DELAY.minusSeconds(1));
                assertThat(n.notices).as("not before the delay").isEmpty();

                n.after(Duration.ofSeconds(1));
                assertThat(n.notices).singleElement().satisfies(notice -> {
                    assertThat(notice.recipient()).isEqualTo(n.clinic.patient.id());
                    assertThat(notice.unreadMessages()).isEqualTo(1);
                    assertThat(notice.conversations()).isEqualTo(1);
                    assertThat(notice.urgentMessages()).isZero();
                    assertThat(notice.deepLink()).isEqualTo(LINK + "/" + n.conversation.id().value());
                });
                assertThat(n.clinic.messaging.notificationStats().delivered()).isEqualTo(1);

                n.after(QUIET.multipliedBy(2));
                assertThat(n.notices).as("the same unread message is told once").hasSize(1);
            }
        }

        @Test
        @DisplayName("the sender is not told of their own message")
        void notTheSender() {
            try (NotifyingClinic n = new NotifyingClinic()) {
                n.doctorSends("m1", "Your results are in");
                n.after(Duration.ZERO);
                n.after(DELAY);

                assertThat(n.notices).extracting(OfflineNotice::recipient).containsExactly(n.clinic.patient.id());
            }
        }

        @Test
        @DisplayName("a user who came online before the delay is not told")
        void cameOnline() {
            try (NotifyingClinic n = new NotifyingClinic()) {
                n.doctorSends("m1", "Your results are in");
                n.after(Duration.ZERO);
                n.clinic.bus.publish(new PresenceChanged(n.clinic.patient.id(), Presence.AVAILABLE, "node-b"));

                n.after(DELAY);
                assertThat(n.notices).isEmpty();
            }
        }

        @Test
        @DisplayName("a user online on any node when the message arrives is not scheduled at all")
        void onlineWhenItArrived() {
            try (NotifyingClinic n = new NotifyingClinic()) {
                n.clinic.bus.publish(new PresenceChanged(n.clinic.patient.id(), Presence.BUSY, "node-b"));
                n.doctorSends("m1", "Your results are in");
                n.after(Duration.ZERO);
                n.clinic.bus.publish(new PresenceChanged(n.clinic.patient.id(), Presence.OFFLINE, "node-b"));

                n.after(DELAY.multipliedBy(2));
                assertThat(n.notices).isEmpty();
            }
        }

        @Test
        @DisplayName("a user who read everything before the delay is not told")
        void readBeforeTheDelay() {
            try (NotifyingClinic n = new NotifyingClinic()) {
                Message m = n.doctorSends("m1", "Your results are in");
                n.after(Duration.ZERO);
                n.clinic.messaging.markRead(as(n.clinic.patient), n.conversation.id(), m.seq());

                n.after(DELAY);
                assertThat(n.notices).isEmpty();
            }
        }

        @Test
        @DisplayName("a user whose account was disabled before the delay is not told")
        void disabledAccount() {
            try (NotifyingClinic n = new NotifyingClinic()) {
                n.doctorSends("m1", "Your results are in");
                n.after(Duration.ZERO);
                n.clinic.storage.users().setEnabled(n.clinic.patient.id(), false);

                n.after(DELAY);
                assertThat(n.notices).isEmpty();
            }
        }

        @Test
        @DisplayName("without a notifier nothing is scheduled")
        void offByDefault() {
            try (Clinic c = new Clinic()) {
                Conversation conv = c.doctorAndPatient();
                c.messaging.send(as(c.doctor), SendRequest.text(conv.id(), "m1", "Your results are in"));

                Instant later = c.clock.instant().plus(Duration.ofDays(1));
                assertThat(c.storage.notifications().claim(later, later.plusSeconds(60), 100)).isEmpty();
                assertThat(c.messaging.notificationStats().delivered()).isZero();
            }
        }
    }

    @Nested
    @DisplayName("batching and quiet period")
    class Batching {

        @Test
        @DisplayName("three messages in the window, one urgent, make one call with counts 3 and 1")
        void threeMessagesOneCall() {
            try (NotifyingClinic n = new NotifyingClinic()) {
                n.doctorSends("m1", "first");
                n.after(Duration.ofSeconds(10));
                n.doctorSends("m2", "second");
                n.after(Duration.ofSeconds(10));
                n.clinic.messaging.send(as(n.clinic.doctor),
                        SendRequest.text(n.conversation.id(), "m3", "third").withPriority(Priority.URGENT));
                n.after(Duration.ofSeconds(10));

                n.after(Duration.ofSeconds(30));
                assertThat(n.notices).singleElement().satisfies(notice -> {
                    assertThat(notice.unreadMessages()).isEqualTo(3);
                    assertThat(notice.conversations()).isEqualTo(1);
                    assertThat(notice.urgentMessages()).isEqualTo(1);
                });
            }
        }

        @Test
        @DisplayName("messages in several conversations make one call linking to the list")
        void severalConversations() {
            try (NotifyingClinic n = new NotifyingClinic()) {
                Conversation other = n.clinic.messaging.openDirect(as(n.clinic.otherDoctor), n.clinic.patient.id());
                n.doctorSends("m1", "first");
                n.clinic.messaging.send(as(n.clinic.otherDoctor), SendRequest.text(other.id(), "o1", "second"));
                n.after(Duration.ZERO);

                n.after(DELAY);
                assertThat(n.notices).singleElement().satisfies(notice -> {
                    assertThat(notice.unreadMessages()).isEqualTo(2);
                    assertThat(notice.conversations()).isEqualTo(2);
                    assertThat(notice.deepLink()).isEqualTo(LINK);
                });
            }
        }

        @Test
        @DisplayName("what arrives in the quiet period is told once it ends, if still unread")
        void quietPeriod() {
            try (NotifyingClinic n = new NotifyingClinic()) {
                n.doctorSends("m1", "first");
                n.after(Duration.ZERO);
                n.after(DELAY);
                assertThat(n.notices).hasSize(1);

                n.doctorSends("m2", "second");
                n.after(Duration.ZERO);
                n.after(DELAY);
                n.after(QUIET.minus(DELAY).minusSeconds(1));
                assertThat(n.notices).as("still in the quiet period").hasSize(1);

                n.after(Duration.ofSeconds(1));
                assertThat(n.notices).hasSize(2);
                assertThat(n.notices.get(1).unreadMessages()).isEqualTo(2);
            }
        }

        @Test
        @DisplayName("what arrives in the quiet period and is read before it ends is not told")
        void quietPeriodThenRead() {
            try (NotifyingClinic n = new NotifyingClinic()) {
                n.doctorSends("m1", "first");
                n.after(Duration.ZERO);
                n.after(DELAY);
                Message second = n.doctorSends("m2", "second");
                n.after(Duration.ZERO);
                n.clinic.messaging.markRead(as(n.clinic.patient), n.conversation.id(), second.seq());

                n.after(QUIET);
                assertThat(n.notices).hasSize(1);
            }
        }
    }

    @Nested
    @DisplayName("what a notice carries")
    class Payload {

        @Test
        @DisplayName("no body text and no names, in its fields or its toString")
        void noContentNoNames() {
            try (NotifyingClinic n = new NotifyingClinic()) {
                String body = "Biopsy shows carcinoma, call me";
                n.doctorSends("m1", body);
                n.after(Duration.ZERO);
                n.after(DELAY);

                OfflineNotice notice = n.notices.get(0);
                List<String> said = List.of(notice.toString(), notice.deepLink(), notice.recipient().value());
                for (String text : said) {
                    assertThat(text).doesNotContain(body).doesNotContain("Biopsy")
                            .doesNotContain(n.clinic.doctor.displayName()).doesNotContain(n.clinic.doctor.username())
                            .doesNotContain(n.clinic.patient.displayName()).doesNotContain(n.clinic.patient.username())
                            .doesNotContain(n.clinic.doctor.id().value());
                }
                assertThat(notice.toString()).contains("unreadMessages=1", "conversations=1", "urgentMessages=0");
            }
        }
    }

    @Nested
    @DisplayName("a notifier that fails")
    class Failing {

        @Test
        @DisplayName("one that throws is counted, and sends and later notices go on")
        void throwing() {
            try (NotifyingClinic n = new NotifyingClinic(
                    NotificationSettings.builder(LINK).delay(DELAY).quietPeriod(Duration.ZERO).build())) {
                AtomicInteger calls = new AtomicInteger();
                n.notifier = notice -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("push service down");
                    }
                    n.notices.add(notice);
                };
                n.doctorSends("m1", "first");
                n.after(Duration.ZERO);
                n.after(DELAY);
                assertThat(n.clinic.messaging.notificationStats().failed()).isEqualTo(1);

                Message after = n.doctorSends("m2", "second");
                assertThat(after.seq()).isEqualTo(2);
                n.after(Duration.ZERO);
                n.after(DELAY);
                assertThat(n.notices).singleElement().extracting(OfflineNotice::unreadMessages).isEqualTo(2L);
                assertThat(n.clinic.messaging.notificationStats().delivered()).isEqualTo(1);
            }
        }

        @Test
        @DisplayName("calls beyond the most in flight, as behind a notifier that hangs, are counted as failed and sends go on")
        void hanging() {
            try (NotifyingClinic n = new NotifyingClinic(NotificationSettings.builder(LINK).delay(DELAY)
                    .quietPeriod(Duration.ZERO).maxCallsInFlight(1).build())) {
                n.doctorSends("m1", "first");
                n.clinic.messaging.send(as(n.clinic.otherDoctor),
                        SendRequest.text(n.clinic.messaging.openDirect(as(n.clinic.otherDoctor),
                                n.clinic.otherPatient.id()).id(), "o1", "other"));
                n.clinic.clock.advance(DELAY);
                n.timer.tick();
                n.timer.tick();

                assertThat(n.calls).as("the first call never ran, as if it hung").hasSize(1);
                assertThat(n.clinic.messaging.notificationStats().failed()).isEqualTo(1);
                assertThat(n.doctorSends("m2", "second").seq()).isEqualTo(2);
            }
        }

        @Test
        @DisplayName("the notifier is called on its executor, not on the sending thread")
        void ownExecutor() {
            try (NotifyingClinic n = new NotifyingClinic()) {
                n.doctorSends("m1", "first");
                n.clinic.clock.advance(DELAY);
                n.timer.tick();

                assertThat(n.notices).isEmpty();
                assertThat(n.calls).hasSize(1);
            }
        }
    }

    @Test
    @DisplayName("two facades sharing storage notify a user once, not once each")
    void onceInACluster() {
        try (NotifyingClinic n = new NotifyingClinic()) {
            List<OfflineNotice> second = new CopyOnWriteArrayList<>();
            ManualTimer secondTimer = new ManualTimer();
            try (Messaging other = Messaging.builder().storage(n.clinic.storage).eventBus(n.clinic.bus)
                    .clock(n.clinic.clock).auditSink(n.clinic.audit).keyProvider(n.clinic.keys).nodeId("node-b")
                    .notifier(second::add, NotificationSettings.builder(LINK).delay(DELAY).build(), secondTimer,
                            Runnable::run)
                    .build()) {
                n.doctorSends("m1", "first");
                other.send(as(n.clinic.doctor), SendRequest.text(n.conversation.id(), "m2", "second"));
                n.after(Duration.ZERO);
                secondTimer.tick();

                n.clinic.clock.advance(DELAY);
                secondTimer.tick();
                n.after(Duration.ZERO);

                assertThat(second).hasSize(1);
                assertThat(n.notices).isEmpty();
                assertThat(second.get(0).unreadMessages()).isEqualTo(2);
            }
        }
    }

    @Test
    @DisplayName("a facade closed before its next check leaves what it noted to the others sharing its storage")
    void closeHandsOver() {
        try (NotifyingClinic n = new NotifyingClinic()) {
            List<OfflineNotice> second = new CopyOnWriteArrayList<>();
            ManualTimer secondTimer = new ManualTimer();
            try (Messaging other = Messaging.builder().storage(n.clinic.storage).eventBus(n.clinic.bus)
                    .clock(n.clinic.clock).auditSink(n.clinic.audit).keyProvider(n.clinic.keys).nodeId("node-b")
                    .notifier(second::add, NotificationSettings.builder(LINK).delay(DELAY).build(), secondTimer,
                            Runnable::run)
                    .build()) {
                n.doctorSends("m1", "first");
                n.clinic.messaging.close();
                assertThat(other.notificationStats().delivered()).isZero();

                n.clinic.clock.advance(DELAY);
                secondTimer.tick();
                assertThat(second).singleElement().extracting(OfflineNotice::recipient).isEqualTo(n.clinic.patient.id());
            }
        }
    }

    @Test
    @DisplayName("settings out of range are reported together")
    void settingsChecked() {
        assertThatThrownBy(() -> NotificationSettings.builder("ftp://x").delay(Duration.ZERO)
                .quietPeriod(Duration.ofDays(2)).maxCallsInFlight(0).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("delay").hasMessageContaining("quietPeriod")
                .hasMessageContaining("deepLinkBase").hasMessageContaining("maxCallsInFlight");
        assertThat(NotificationSettings.builder(LINK).build().quietPeriod()).isEqualTo(Duration.ofMinutes(15));
        assertThat(NotificationSettings.builder(LINK).build().delay()).isEqualTo(Duration.ofSeconds(60));
    }
}

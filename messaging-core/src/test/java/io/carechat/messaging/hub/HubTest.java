package io.carechat.messaging.hub;

import static io.carechat.messaging.hub.HubFixture.ADMIN;
import static io.carechat.messaging.hub.HubFixture.ANN;
import static io.carechat.messaging.hub.HubFixture.BEN;
import static io.carechat.messaging.hub.HubFixture.DOCTOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationMember;
import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.model.MessagingLimits;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.ReceiptKind;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.RoleRequest;
import io.carechat.messaging.model.RoleRequestId;
import io.carechat.messaging.model.RoleRequestStatus;
import io.carechat.messaging.model.SendRequest;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.event.RoleRequested;
import io.carechat.messaging.event.SessionsRevoked;
import io.carechat.messaging.hub.HubFixture.Client;
import io.carechat.messaging.protocol.ClientFrame;
import io.carechat.messaging.protocol.ServerFrame;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Hub")
class HubTest {
    private HubFixture fixture = new HubFixture();

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private void use(HubFixture other) {
        fixture.close();
        fixture = other;
    }

    private ConversationId conversation(UserId a, UserId b) {
        return fixture.messaging.openDirect(fixture.caller(a), b).id();
    }

    private static String send(ConversationId conversation, String clientMsgId, String body, String ref) {
        return HubFixture.CODEC.encode(new ClientFrame.Send(ref, conversation, clientMsgId, body,
                io.carechat.messaging.model.Priority.NORMAL, List.of()));
    }

    private static List<Long> seqs(List<ServerFrame.Message> messages) {
        return messages.stream().map(m -> m.message().seq()).toList();
    }

    private long deliveredSeq(UserId user, ConversationId conversation) {
        return fixture.messaging.conversations(fixture.caller(user)).stream()
                .filter(s -> s.conversation().id().equals(conversation))
                .map(s -> s.summary().self())
                .findFirst().orElseThrow().deliveredSeq();
    }

    @Nested
    @DisplayName("authentication")
    class Authentication {
        @Test
        @DisplayName("a valid bearer header gets ready with the user, conversations and unread total")
        void headerAuth() {
            ConversationId conversation = conversation(DOCTOR, ANN);
            fixture.messaging.send(fixture.caller(DOCTOR), SendRequest.text(conversation, "m1", "hello"));

            Client ann = fixture.connect(ANN);

            ServerFrame.Ready ready = (ServerFrame.Ready) ann.connection().frames().get(0);
            assertThat(ready.userId()).isEqualTo(ANN);
            assertThat(ready.roles()).containsExactly(Role.PATIENT);
            assertThat(ready.conversations()).singleElement().satisfies(c -> {
                assertThat(c.id()).isEqualTo(conversation);
                assertThat(c.unread()).isEqualTo(1);
                assertThat(c.lastSeq()).isEqualTo(1);
                assertThat(c.members()).containsExactlyInAnyOrder(
                        new ConversationMember(DOCTOR, "Name of dr-house", Set.of(Role.DOCTOR), 0, 0),
                        new ConversationMember(ANN, "Name of pat-ann", Set.of(Role.PATIENT), 0, 0));
            });
            assertThat(ready.unreadTotal()).isEqualTo(1);
            assertThat(ready.ref()).isNull();
        }

        @Test
        @DisplayName("a first auth frame authenticates and ready echoes its ref")
        void frameAuth() {
            Client ann = fixture.open(null);
            assertThat(ann.connection().texts()).isEmpty();

            ann.sendFrame(new ClientFrame.Auth("a1", fixture.token(ANN)));

            assertThat(ann.connection().frames().get(0)).isInstanceOfSatisfying(ServerFrame.Ready.class,
                    r -> assertThat(r.ref()).isEqualTo("a1"));
            assertThat(ann.connection().isClosed()).isFalse();
        }

        @Test
        @DisplayName("any other first frame closes the socket with 4401")
        void wrongFirstFrame() {
            Client ann = fixture.open(null);
            ann.sendFrame(new ClientFrame.Ping("p1"));

            assertThat(ann.connection().closeCode()).isEqualTo(CloseCodes.UNAUTHENTICATED);
            assertThat(ann.connection().closeReason()).isEqualTo("auth_required");
            assertThat(ann.connection().texts()).isEmpty();
        }

        @Test
        @DisplayName("a first frame that is not JSON closes the socket with 4401")
        void garbageFirstFrame() {
            Client ann = fixture.open(null);
            ann.send("hello?");

            assertThat(ann.connection().closeCode()).isEqualTo(CloseCodes.UNAUTHENTICATED);
        }

        @Test
        @DisplayName("an invalid token closes the socket with 4401, by frame or by header")
        void invalidToken() {
            Client byFrame = fixture.open(null);
            byFrame.sendFrame(new ClientFrame.Auth("a1", "forged"));
            Client byHeader = fixture.open("forged");

            for (Client client : List.of(byFrame, byHeader)) {
                assertThat(client.connection().closeCode()).isEqualTo(CloseCodes.UNAUTHENTICATED);
                assertThat(client.connection().closeReason()).isEqualTo("unauthenticated");
                assertThat(client.connection().texts()).isEmpty();
            }
        }

        @Test
        @DisplayName("a valid token for a disabled account closes the socket with 4401")
        void disabledAccount() {
            String token = fixture.token(BEN);
            fixture.storage.users().setEnabled(BEN, false);

            Client ben = fixture.open(token);

            assertThat(ben.connection().closeCode()).isEqualTo(CloseCodes.UNAUTHENTICATED);
            assertThat(ben.connection().frames(ServerFrame.Ready.class)).isEmpty();
        }

        @Test
        @DisplayName("an already expired token closes the socket with 4401 token_expired")
        void expiredToken() {
            String token = fixture.token(ANN, Duration.ofSeconds(5));
            fixture.clock.advance(Duration.ofSeconds(5));

            Client ann = fixture.open(token);

            assertThat(ann.connection().closeReason()).isEqualTo("token_expired");
        }

        @Test
        @DisplayName("silence for the auth timeout closes the socket with 4408, and not before")
        void authTimeout() {
            Client silent = fixture.open(null);

            fixture.clock.advance(Duration.ofSeconds(9));
            fixture.tick();
            assertThat(silent.connection().isClosed()).isFalse();

            fixture.clock.advance(Duration.ofSeconds(1));
            fixture.tick();
            assertThat(silent.connection().closeCode()).isEqualTo(CloseCodes.AUTH_TIMEOUT);
            assertThat(silent.connection().closeReason()).isEqualTo("auth_timeout");
        }

        @Test
        @DisplayName("the hub's own timer closes a silent socket once the clock passes the timeout")
        void timerRuns() throws InterruptedException {
            use(new HubFixture(HubSettings.builder().timerInterval(Duration.ofMillis(20)).build()));
            Client silent = fixture.open(null);
            fixture.clock.advance(Duration.ofSeconds(10));

            for (int i = 0; i < 250 && !silent.connection().isClosed(); i++) {
                Thread.sleep(20);
            }
            assertThat(silent.connection().closeCode()).isEqualTo(CloseCodes.AUTH_TIMEOUT);
        }

        @Test
        @DisplayName("a socket beyond the per-user cap is closed with 1008 too_many_sockets; the others stay")
        void socketCap() {
            use(new HubFixture(HubSettings.builder().maxSocketsPerUser(2).timerInterval(Duration.ofHours(1)).build()));
            Client first = fixture.connect(ANN);
            Client second = fixture.connect(ANN);
            Client third = fixture.connect(ANN);
            Client other = fixture.connect(BEN);

            assertThat(third.connection().closeCode()).isEqualTo(CloseCodes.POLICY_VIOLATION);
            assertThat(third.connection().closeReason()).isEqualTo("too_many_sockets");
            assertThat(List.of(first, second, other)).noneMatch(c -> c.connection().isClosed());
        }

        @Test
        @DisplayName("the token check and the session's requests run on the workers, not the transport thread")
        void nothingOnTransportThread() {
            QueueExecutor workers = new QueueExecutor();
            use(new HubFixture(HubSettings.builder().timerInterval(Duration.ofHours(1)).build(), workers));

            Client ann = fixture.connect(ANN);
            ann.sendFrame(new ClientFrame.Ping("p1"));
            assertThat(ann.connection().texts()).isEmpty();

            workers.runAll();
            assertThat(ann.connection().frames()).extracting(ServerFrame::type).containsExactly("ready", "pong");
        }
    }

    @Nested
    @DisplayName("live exchange")
    class LiveExchange {
        @Test
        @DisplayName("two users exchange messages; the sender gets sent with its clientMsgId, the other message without")
        void twoUsers() {
            Client doctor = fixture.connect(DOCTOR);
            Client ann = fixture.connect(ANN);
            doctor.sendFrame(new ClientFrame.Open("o1", ANN));
            ServerFrame.Conversation opened = doctor.connection().frames(ServerFrame.Conversation.class).get(0);
            ConversationId conversation = opened.conversation().id();
            assertThat(opened.ref()).isEqualTo("o1");
            assertThat(opened.members()).extracting(ConversationMember::id, ConversationMember::displayName)
                    .containsExactlyInAnyOrder(tuple(DOCTOR, "Name of dr-house"), tuple(ANN, "Name of pat-ann"));

            doctor.send(send(conversation, "m-1", "How are you?", "s1"));
            ann.send(send(conversation, "m-2", "Better, thanks", "s2"));

            ServerFrame.Sent sent = doctor.connection().frames(ServerFrame.Sent.class).get(0);
            assertThat(sent.ref()).isEqualTo("s1");
            assertThat(sent.message().clientMsgId()).isEqualTo("m-1");
            assertThat(ann.connection().frames(ServerFrame.Message.class)).singleElement().satisfies(m -> {
                assertThat(m.message().body()).isEqualTo("How are you?");
                assertThat(m.message().clientMsgId()).isNull();
                assertThat(m.message().seq()).isEqualTo(1);
            });
            assertThat(doctor.connection().frames(ServerFrame.Message.class)).singleElement()
                    .satisfies(m -> assertThat(m.message().body()).isEqualTo("Better, thanks"));
        }

        @Test
        @DisplayName("a retried send with the same clientMsgId stores one message and reaches the recipient once")
        void idempotentRetry() {
            ConversationId conversation = conversation(DOCTOR, ANN);
            Client ann = fixture.connect(ANN);
            Client doctor = fixture.connect(DOCTOR);
            doctor.send(send(conversation, "m-1", "once", "s1"));
            doctor.connection().close(1006, "dropped");

            Client doctorAgain = fixture.connect(DOCTOR);
            doctorAgain.send(send(conversation, "m-1", "once", "s2"));

            ServerFrame.Sent first = doctor.connection().frames(ServerFrame.Sent.class).get(0);
            ServerFrame.Sent retry = doctorAgain.connection().frames(ServerFrame.Sent.class).get(0);
            assertThat(retry.message().id()).isEqualTo(first.message().id());
            assertThat(ann.connection().frames(ServerFrame.Message.class)).hasSize(1);
            assertThat(fixture.messaging.history(fixture.caller(ANN), conversation, null, null).messages()).hasSize(1);
        }

        @Test
        @DisplayName("a non-member gets not_found for the conversation and sees none of its traffic")
        void nonMember() {
            ConversationId conversation = conversation(DOCTOR, ANN);
            Client doctor = fixture.connect(DOCTOR);
            Client ben = fixture.connect(BEN);

            ben.send(send(conversation, "m-x", "let me in", "b1"));
            ben.sendFrame(new ClientFrame.History("b2", conversation, null, null));
            doctor.send(send(conversation, "m-1", "private", "s1"));
            doctor.sendFrame(new ClientFrame.Typing(null, conversation));

            assertThat(ben.connection().frames(ServerFrame.Error.class))
                    .extracting(ServerFrame.Error::ref, ServerFrame.Error::code)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("b1", ErrorCode.NOT_FOUND),
                            org.assertj.core.groups.Tuple.tuple("b2", ErrorCode.NOT_FOUND));
            assertThat(ben.connection().frames()).extracting(ServerFrame::type)
                    .isSubsetOf("ready", "error", "presence");
            assertThat(String.join("", ben.connection().texts())).doesNotContain("private");
        }

        @Test
        @DisplayName("every socket of a user gets messages; the sending socket gets sent and no echo")
        void severalSockets() {
            ConversationId conversation = conversation(DOCTOR, ANN);
            Client doctorPhone = fixture.connect(DOCTOR);
            Client doctorDesk = fixture.connect(DOCTOR);
            Client annPhone = fixture.connect(ANN);
            Client annTablet = fixture.connect(ANN);

            doctorPhone.send(send(conversation, "m-1", "hello", "s1"));

            assertThat(doctorPhone.connection().frames(ServerFrame.Message.class)).isEmpty();
            assertThat(doctorPhone.connection().frames(ServerFrame.Sent.class)).hasSize(1);
            assertThat(doctorDesk.connection().frames(ServerFrame.Message.class)).singleElement()
                    .satisfies(m -> assertThat(m.message().clientMsgId()).isEqualTo("m-1"));
            for (Client ann : List.of(annPhone, annTablet)) {
                assertThat(ann.connection().frames(ServerFrame.Message.class)).singleElement()
                        .satisfies(m -> assertThat(m.message().clientMsgId()).isNull());
            }
        }

        @Test
        @DisplayName("a read sends receipts to the other member and unread counts to every socket of the reader")
        void readReceiptsAndUnread() {
            ConversationId conversation = conversation(DOCTOR, ANN);
            Client doctor = fixture.connect(DOCTOR);
            Client annPhone = fixture.connect(ANN);
            Client annTablet = fixture.connect(ANN);
            doctor.send(send(conversation, "m-1", "one", "s1"));
            doctor.send(send(conversation, "m-2", "two", "s2"));

            annPhone.sendFrame(new ClientFrame.Read(null, conversation, 1));

            assertThat(doctor.connection().frames(ServerFrame.Receipt.class))
                    .contains(new ServerFrame.Receipt(conversation, ANN, ReceiptKind.READ, 1));
            for (Client ann : List.of(annPhone, annTablet)) {
                assertThat(ann.connection().frames(ServerFrame.Unread.class))
                        .containsExactly(new ServerFrame.Unread(conversation, 1, 1));
                assertThat(ann.connection().frames(ServerFrame.Receipt.class)).isEmpty();
            }
        }

        @Test
        @DisplayName("delivered from the client moves deliveredSeq and tells the other member; pushing alone does not")
        void deliveredAck() {
            ConversationId conversation = conversation(DOCTOR, ANN);
            Client doctor = fixture.connect(DOCTOR);
            Client ann = fixture.connect(ANN);
            doctor.send(send(conversation, "m-1", "one", "s1"));
            assertThat(ann.connection().frames(ServerFrame.Message.class)).hasSize(1);
            assertThat(deliveredSeq(ANN, conversation)).isZero();

            ann.sendFrame(new ClientFrame.Delivered("d1", conversation, 1));

            assertThat(deliveredSeq(ANN, conversation)).isEqualTo(1);
            assertThat(ann.connection().frames(ServerFrame.Ok.class)).containsExactly(new ServerFrame.Ok("d1"));
            assertThat(doctor.connection().frames(ServerFrame.Receipt.class))
                    .containsExactly(new ServerFrame.Receipt(conversation, ANN, ReceiptKind.DELIVERED, 1));
        }

        @Test
        @DisplayName("typing reaches the other members only")
        void typing() {
            ConversationId conversation = conversation(DOCTOR, ANN);
            Client doctor = fixture.connect(DOCTOR);
            Client ann = fixture.connect(ANN);

            ann.sendFrame(new ClientFrame.Typing(null, conversation));

            assertThat(doctor.connection().frames(ServerFrame.Typing.class))
                    .containsExactly(new ServerFrame.Typing(conversation, ANN));
            assertThat(ann.connection().frames(ServerFrame.Typing.class)).isEmpty();
            assertThat(ann.connection().frames()).extracting(ServerFrame::type).isSubsetOf("ready", "presence");
        }

        @Test
        @DisplayName("presence reaches users who may message the user, not others; the last socket closing sets offline")
        void presence() {
            Client doctor = fixture.connect(DOCTOR);
            Client ben = fixture.connect(BEN);
            Client ann = fixture.connect(ANN);

            ann.sendFrame(new ClientFrame.Presence(null, Presence.BUSY));
            assertThat(doctor.connection().frames(ServerFrame.Presence.class))
                    .contains(new ServerFrame.Presence(ANN, Presence.BUSY));
            assertThat(ben.connection().frames(ServerFrame.Presence.class))
                    .noneMatch(p -> p.userId().equals(ANN));

            ann.connection().close(1000, "bye");

            assertThat(doctor.connection().frames(ServerFrame.Presence.class))
                    .endsWith(new ServerFrame.Presence(ANN, Presence.OFFLINE));
            assertThat(fixture.messaging.presence(ANN)).isEqualTo(Presence.OFFLINE);
            assertThat(fixture.hub.isOnline(ANN)).isFalse();
        }

        @Test
        @DisplayName("offline is published only when the user's last socket closes")
        void offlineOnlyAtLast() {
            Client annPhone = fixture.connect(ANN);
            Client annTablet = fixture.connect(ANN);

            annPhone.connection().close(1000, "bye");
            assertThat(fixture.messaging.presence(ANN)).isEqualTo(Presence.AVAILABLE);

            annTablet.connection().close(1000, "bye");
            assertThat(fixture.messaging.presence(ANN)).isEqualTo(Presence.OFFLINE);
        }

        @Test
        @DisplayName("history, conversations and contacts answer with the request's ref")
        void queries() {
            ConversationId conversation = conversation(DOCTOR, ANN);
            Client doctor = fixture.connect(DOCTOR);
            doctor.send(send(conversation, "m-1", "one", "s1"));

            doctor.sendFrame(new ClientFrame.History("h1", conversation, null, 10));
            doctor.sendFrame(new ClientFrame.Conversations("c1"));
            doctor.sendFrame(new ClientFrame.Contacts("k1"));
            doctor.sendFrame(new ClientFrame.Ping("p1"));

            ServerFrame.History history = doctor.connection().frames(ServerFrame.History.class).get(0);
            assertThat(history.ref()).isEqualTo("h1");
            assertThat(history.messages()).singleElement()
                    .satisfies(m -> assertThat(m.clientMsgId()).isEqualTo("m-1"));
            assertThat(doctor.connection().frames(ServerFrame.Conversations.class)).singleElement()
                    .satisfies(c -> assertThat(c.conversations()).singleElement().satisfies(v -> assertThat(v.members())
                            .filteredOn(m -> m.id().equals(ANN)).singleElement()
                            .satisfies(m -> assertThat(m.displayName()).isEqualTo("Name of pat-ann"))));
            assertThat(doctor.connection().frames(ServerFrame.Contacts.class)).singleElement()
                    .satisfies(c -> assertThat(c.contacts()).extracting(v -> v.id()).contains(ANN, BEN));
            assertThat(doctor.connection().frames(ServerFrame.Pong.class)).containsExactly(new ServerFrame.Pong("p1"));
        }
    }

    @Nested
    @DisplayName("offline delivery")
    class OfflineDelivery {
        @Test
        @DisplayName("50 messages sent while away arrive after ready, once and in seq order, then live ones; none again after an ack")
        void backlog() {
            ConversationId conversation = conversation(DOCTOR, ANN);
            Client doctor = fixture.connect(DOCTOR);
            for (int i = 1; i <= 50; i++) {
                fixture.clock.advance(Duration.ofMillis(50));
                doctor.send(send(conversation, "m-" + i, "message " + i, "s" + i));
            }
            assertThat(doctor.connection().frames(ServerFrame.Sent.class)).hasSize(50);

            Client ann = fixture.connect(ANN);
            List<ServerFrame> frames = ann.connection().frames();
            assertThat(frames.get(0)).isInstanceOf(ServerFrame.Ready.class);
            List<ServerFrame.Message> backlog = ann.connection().frames(ServerFrame.Message.class);
            assertThat(seqs(backlog)).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList());
            assertThat(backlog.get(49).message().body()).isEqualTo("message 50");

            doctor.send(send(conversation, "m-51", "live one", "s51"));
            assertThat(seqs(ann.connection().frames(ServerFrame.Message.class))).hasSize(51).endsWith(51L);

            ann.sendFrame(new ClientFrame.Delivered(null, conversation, 51));
            ann.connection().close(1000, "bye");
            Client annAgain = fixture.connect(ANN);
            assertThat(annAgain.connection().frames()).extracting(ServerFrame::type).containsOnly("ready");
        }

        @Test
        @DisplayName("without an ack the backlog comes again on the next connect")
        void noAckNoLoss() {
            ConversationId conversation = conversation(DOCTOR, ANN);
            fixture.messaging.send(fixture.caller(DOCTOR), SendRequest.text(conversation, "m-1", "one"));
            fixture.connect(ANN).connection().close(1000, "bye");

            Client again = fixture.connect(ANN);

            assertThat(seqs(again.connection().frames(ServerFrame.Message.class))).containsExactly(1L);
        }

        @Test
        @DisplayName("the backlog is bounded in total; the rest is left for history")
        void boundedBacklog() {
            use(new HubFixture(HubSettings.builder().maxBacklogMessages(5).timerInterval(Duration.ofHours(1)).build()));
            ConversationId conversation = conversation(DOCTOR, ANN);
            for (int i = 1; i <= 8; i++) {
                fixture.messaging.send(fixture.caller(DOCTOR), SendRequest.text(conversation, "m-" + i, "x"));
            }

            Client ann = fixture.connect(ANN);

            assertThat(seqs(ann.connection().frames(ServerFrame.Message.class))).containsExactly(1L, 2L, 3L, 4L, 5L);
        }
    }

    @Nested
    @DisplayName("limits")
    class Limits {
        @Test
        @DisplayName("sends beyond the burst get rate_limited with their ref until the bucket refills")
        void rateLimit() {
            use(new HubFixture(HubSettings.builder().timerInterval(Duration.ofHours(1)).build(),
                    MessagingLimits.builder().sendRate(1, 3).build()));
            ConversationId conversation = conversation(DOCTOR, ANN);
            Client doctor = fixture.connect(DOCTOR);

            for (int i = 1; i <= 4; i++) {
                doctor.send(send(conversation, "m-" + i, "x", "s" + i));
            }
            assertThat(doctor.connection().frames(ServerFrame.Sent.class)).hasSize(3);
            assertThat(doctor.connection().frames(ServerFrame.Error.class)).singleElement().satisfies(e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
                assertThat(e.ref()).isEqualTo("s4");
            });

            fixture.clock.advance(Duration.ofSeconds(1));
            doctor.send(send(conversation, "m-4", "x", "s5"));
            assertThat(doctor.connection().frames(ServerFrame.Sent.class)).hasSize(4);
            assertThat(doctor.connection().isClosed()).isFalse();
        }

        @Test
        @DisplayName("the send rate is per user, shared by the user's sockets")
        void rateLimitPerUser() {
            use(new HubFixture(HubSettings.builder().timerInterval(Duration.ofHours(1)).build(),
                    MessagingLimits.builder().sendRate(1, 2).build()));
            ConversationId conversation = conversation(DOCTOR, ANN);
            Client phone = fixture.connect(DOCTOR);
            Client desk = fixture.connect(DOCTOR);

            phone.send(send(conversation, "m-1", "x", "s1"));
            desk.send(send(conversation, "m-2", "x", "s2"));
            desk.send(send(conversation, "m-3", "x", "s3"));

            assertThat(desk.connection().frames(ServerFrame.Error.class))
                    .extracting(ServerFrame.Error::code).containsExactly(ErrorCode.RATE_LIMITED);
        }

        @Test
        @DisplayName("a client that stops reading is closed with 4429 slow_consumer")
        void slowConsumer() {
            use(new HubFixture(HubSettings.builder().maxQueuedBytes(4096).timerInterval(Duration.ofHours(1)).build()));
            ConversationId conversation = conversation(DOCTOR, ANN);
            Client doctor = fixture.connect(DOCTOR);
            Client ann = fixture.connect(ANN);
            ann.connection().stall();

            for (int i = 1; i <= 30 && !ann.connection().isClosed(); i++) {
                doctor.send(send(conversation, "m-" + i, "a body of some length ".repeat(10), "s" + i));
            }

            assertThat(ann.connection().closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER);
            assertThat(ann.connection().closeReason()).isEqualTo("slow_consumer");
            assertThat(doctor.connection().isClosed()).isFalse();
            assertThat(fixture.hub.isOnline(ANN)).isFalse();
        }

        @Test
        @DisplayName("frames beyond the pending bound get rate_limited at once, with their ref")
        void pendingBound() {
            QueueExecutor workers = new QueueExecutor();
            use(new HubFixture(HubSettings.builder().maxPendingRequests(2).timerInterval(Duration.ofHours(1)).build(),
                    workers));
            Client ann = fixture.connect(ANN);
            workers.runAll();

            ann.sendFrame(new ClientFrame.Ping("p1"));
            ann.sendFrame(new ClientFrame.Ping("p2"));
            ann.sendFrame(new ClientFrame.Ping("p3"));
            assertThat(ann.connection().frames(ServerFrame.Error.class)).singleElement().satisfies(e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
                assertThat(e.ref()).isEqualTo("p3");
            });

            workers.runAll();
            assertThat(ann.connection().frames(ServerFrame.Pong.class)).extracting(ServerFrame.Pong::ref)
                    .containsExactly("p1", "p2");
        }

        @Test
        @DisplayName("a frame that is not JSON gets bad_request and the session stays open")
        void badJsonKeepsOpen() {
            Client ann = fixture.connect(ANN);

            ann.send("{\"type\":\"ping\",\"ref\":\"x1\"");
            ann.send("[1,2]");
            ann.send("{\"type\":\"launch\",\"ref\":\"x2\"}");
            ann.sendFrame(new ClientFrame.Ping("p1"));

            assertThat(ann.connection().frames(ServerFrame.Error.class))
                    .extracting(ServerFrame.Error::ref, ServerFrame.Error::code)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("x1", ErrorCode.BAD_REQUEST),
                            org.assertj.core.groups.Tuple.tuple(null, ErrorCode.BAD_REQUEST),
                            org.assertj.core.groups.Tuple.tuple("x2", ErrorCode.BAD_REQUEST));
            assertThat(ann.connection().frames(ServerFrame.Pong.class)).hasSize(1);
            assertThat(ann.connection().isClosed()).isFalse();
        }

        @Test
        @DisplayName("an unexpected failure answers error internal with a generic message")
        void internalError() {
            Client ann = fixture.connect(ANN);
            fixture.verifierFailure = new IllegalStateException("secret detail");

            ann.sendFrame(new ClientFrame.Auth("a2", "whatever"));

            assertThat(ann.connection().frames(ServerFrame.Error.class)).singleElement().satisfies(e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
                assertThat(e.ref()).isEqualTo("a2");
                assertThat(e.message()).doesNotContain("secret");
            });
            assertThat(ann.connection().isClosed()).isFalse();
        }
    }

    @Nested
    @DisplayName("token lifetime")
    class TokenLifetime {
        @Test
        @DisplayName("the socket closes with 4401 token_expired when the token expires")
        void expiry() {
            Client ann = fixture.open(fixture.token(ANN, Duration.ofMinutes(15)));

            fixture.clock.advance(Duration.ofMinutes(14));
            fixture.tick();
            assertThat(ann.connection().isClosed()).isFalse();

            fixture.clock.advance(Duration.ofMinutes(1));
            fixture.tick();
            assertThat(ann.connection().closeCode()).isEqualTo(CloseCodes.UNAUTHENTICATED);
            assertThat(ann.connection().closeReason()).isEqualTo("token_expired");
        }

        @Test
        @DisplayName("a fresh auth for the same user before expiry answers ok and extends the session in place")
        void reauthExtends() {
            Client ann = fixture.open(fixture.token(ANN, Duration.ofMinutes(15)));
            fixture.clock.advance(Duration.ofMinutes(10));

            ann.sendFrame(new ClientFrame.Auth("a2", fixture.token(ANN, Duration.ofMinutes(15))));
            assertThat(ann.connection().frames(ServerFrame.Ok.class)).containsExactly(new ServerFrame.Ok("a2"));
            assertThat(ann.connection().frames(ServerFrame.Ready.class)).hasSize(1);

            fixture.clock.advance(Duration.ofMinutes(10));
            fixture.tick();
            assertThat(ann.connection().isClosed()).isFalse();

            fixture.clock.advance(Duration.ofMinutes(5));
            fixture.tick();
            assertThat(ann.connection().closeReason()).isEqualTo("token_expired");
        }

        @Test
        @DisplayName("an invalid re-auth gets error unauthenticated and keeps the current token")
        void invalidReauth() {
            Client ann = fixture.connect(ANN);

            ann.sendFrame(new ClientFrame.Auth("a2", "forged"));

            assertThat(ann.connection().frames(ServerFrame.Error.class)).singleElement()
                    .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
            assertThat(ann.connection().isClosed()).isFalse();
        }

        @Test
        @DisplayName("a re-auth for another user closes the socket with 4401 subject_mismatch")
        void reauthOtherUser() {
            Client ann = fixture.connect(ANN);

            ann.sendFrame(new ClientFrame.Auth("a2", fixture.token(BEN)));

            assertThat(ann.connection().closeCode()).isEqualTo(CloseCodes.UNAUTHENTICATED);
            assertThat(ann.connection().closeReason()).isEqualTo("subject_mismatch");
            assertThat(fixture.hub.isOnline(BEN)).isFalse();
        }

        @Test
        @DisplayName("idle logoff closes with 4401 idle_timeout; pings do not count as activity, other frames do")
        void idleLogoff() {
            use(new HubFixture(HubSettings.builder().idleTimeout(Duration.ofMinutes(5))
                    .timerInterval(Duration.ofHours(1)).build()));
            Client busy = fixture.connect(ANN);
            Client idle = fixture.connect(BEN);

            for (int minute = 1; minute <= 5; minute++) {
                fixture.clock.advance(Duration.ofMinutes(1));
                idle.sendFrame(new ClientFrame.Ping("p" + minute));
                busy.sendFrame(new ClientFrame.Conversations("c" + minute));
                fixture.tick();
            }

            assertThat(idle.connection().closeReason()).isEqualTo("idle_timeout");
            assertThat(busy.connection().isClosed()).isFalse();
        }

        @Test
        @DisplayName("revoked sessions (logout, disable, role change) close every socket of that user with 4401")
        void revocation() {
            Client annPhone = fixture.connect(ANN);
            Client annTablet = fixture.connect(ANN);
            Client ben = fixture.connect(BEN);
            Client doctor = fixture.connect(DOCTOR);

            fixture.bus.publish(new SessionsRevoked(ANN, SessionsRevoked.Reason.LOGOUT));
            fixture.bus.publish(new SessionsRevoked(DOCTOR, SessionsRevoked.Reason.ROLES_CHANGED));

            assertThat(List.of(annPhone, annTablet)).allSatisfy(c -> {
                assertThat(c.connection().closeCode()).isEqualTo(CloseCodes.UNAUTHENTICATED);
                assertThat(c.connection().closeReason()).isEqualTo("logged_out");
            });
            assertThat(doctor.connection().closeReason()).isEqualTo("roles_changed");
            assertThat(ben.connection().isClosed()).isFalse();
        }
    }

    @Test
    @DisplayName("a frame on a session whose token was revoked since it was verified closes the socket with 4401"
            + " token_revoked, unanswered")
    void revokedTokenClosesOnNextFrame() {
        Client ann = fixture.connect(ANN);
        Client ben = fixture.connect(BEN);
        fixture.revoked.add(ANN);

        ann.send("{\"type\":\"ping\",\"ref\":\"p1\"}");
        ben.send("{\"type\":\"ping\",\"ref\":\"p2\"}");

        assertThat(ann.connection().closeCode()).isEqualTo(CloseCodes.UNAUTHENTICATED);
        assertThat(ann.connection().closeReason()).isEqualTo("token_revoked");
        assertThat(ann.connection().frames(ServerFrame.Pong.class)).isEmpty();
        assertThat(ben.connection().frames(ServerFrame.Pong.class)).hasSize(1);
    }

    @Test
    @DisplayName("a role request notice goes by the stored roles, never the token's: a token claiming ADMIN gets none,"
            + " a stored admin's token without it does")
    void adminNoticeByStoredRoles() {
        Client storedAdmin = fixture.open(fixture.tokenClaiming(ADMIN, Set.of(Role.PATIENT)));
        Client claimedAdmin = fixture.open(fixture.tokenClaiming(DOCTOR, Set.of(Role.ADMIN)));
        RoleRequest request = new RoleRequest(RoleRequestId.of("rr-2"), ANN, Role.DOCTOR, "note", RoleRequestStatus.PENDING,
                fixture.clock.instant(), null, null);

        fixture.bus.publish(new RoleRequested(request));

        assertThat(storedAdmin.connection().frames(ServerFrame.Notice.class)).hasSize(1);
        assertThat(claimedAdmin.connection().frames(ServerFrame.Notice.class)).isEmpty();
    }

    @Test
    @DisplayName("a role request notice reaches admins only")
    void adminNotice() {
        Client admin = fixture.connect(ADMIN);
        Client doctor = fixture.connect(DOCTOR);
        RoleRequest request = new RoleRequest(RoleRequestId.of("rr-1"), ANN, Role.DOCTOR, "note", RoleRequestStatus.PENDING,
                fixture.clock.instant(), null, null);

        fixture.bus.publish(new RoleRequested(request));

        assertThat(admin.connection().frames(ServerFrame.Notice.class))
                .containsExactly(new ServerFrame.Notice(RoleRequestId.of("rr-1"), ANN, Role.DOCTOR, fixture.clock.instant()));
        assertThat(doctor.connection().frames(ServerFrame.Notice.class)).isEmpty();
    }

    @Test
    @DisplayName("closing the hub closes every socket with 1001, sets their users offline and refuses new sockets")
    void shutdown() {
        Client ann = fixture.connect(ANN);
        fixture.hub.close();

        assertThat(ann.connection().closeCode()).isEqualTo(CloseCodes.GOING_AWAY);
        assertThat(fixture.messaging.presence(ANN)).isEqualTo(Presence.OFFLINE);
        assertThat(fixture.connect(BEN).connection().closeReason()).isEqualTo("server_shutdown");
        assertThat(fixture.hub.openSessions()).isZero();
    }

    @Test
    @DisplayName("a message committed while a session starts comes after ready and the backlog, exactly once")
    void startupRace() {
        ConversationId conversation = conversation(DOCTOR, ANN);
        fixture.messaging.send(fixture.caller(DOCTOR), SendRequest.text(conversation, "m-1", "before"));
        java.util.concurrent.atomic.AtomicBoolean sentDuringStartup = new java.util.concurrent.atomic.AtomicBoolean();
        // Ann's first session announces her as available after it is registered and before it
        // reads the backlog: the doctor's message sent then is both live and in the backlog.
        fixture.bus.subscribe(event -> {
            if (event instanceof io.carechat.messaging.event.PresenceChanged p && p.userId().equals(ANN)
                    && p.presence() == Presence.AVAILABLE && sentDuringStartup.compareAndSet(false, true)) {
                fixture.messaging.send(fixture.caller(DOCTOR), SendRequest.text(conversation, "m-2", "during"));
            }
        });

        Client ann = fixture.connect(ANN);

        assertThat(sentDuringStartup).isTrue();
        assertThat(ann.connection().frames().get(0)).isInstanceOf(ServerFrame.Ready.class);
        assertThat(seqs(ann.connection().frames(ServerFrame.Message.class))).containsExactly(1L, 2L);
    }

    @Test
    @DisplayName("on a real worker pool, concurrent senders' messages each arrive once and each socket's replies keep request order")
    void realPool() throws InterruptedException {
        java.util.concurrent.ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            use(new HubFixture(HubSettings.builder().timerInterval(Duration.ofHours(1)).build(), pool));
            ConversationId conversation = conversation(DOCTOR, ANN);
            Client doctor = fixture.connect(DOCTOR);
            Client ann = fixture.connect(ANN);
            awaitFrames(doctor, 1);
            awaitFrames(ann, 1);

            for (int i = 1; i <= 30; i++) {
                doctor.send(send(conversation, "d-" + i, "from doctor " + i, "d" + i));
                ann.send(send(conversation, "a-" + i, "from ann " + i, "a" + i));
            }
            awaitFrames(doctor, 1 + 30 + 30);
            awaitFrames(ann, 1 + 30 + 30);

            assertThat(doctor.connection().frames(ServerFrame.Sent.class)).extracting(ServerFrame.Sent::ref)
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 30).mapToObj(i -> "d" + i).toList());
            assertThat(ann.connection().frames(ServerFrame.Message.class))
                    .extracting(m -> m.message().body()).doesNotHaveDuplicates().hasSize(30)
                    .allMatch(body -> body.startsWith("from doctor"));
            assertThat(doctor.connection().frames(ServerFrame.Message.class))
                    .extracting(m -> m.message().body()).doesNotHaveDuplicates().hasSize(30)
                    .allMatch(body -> body.startsWith("from ann"));
        } finally {
            fixture.close();
            pool.shutdownNow();
        }
    }

    private static void awaitFrames(Client client, int count) throws InterruptedException {
        for (int i = 0; i < 500 && client.connection().texts().size() < count; i++) {
            Thread.sleep(10);
        }
        assertThat(client.connection().texts()).hasSizeGreaterThanOrEqualTo(count);
    }

    @Test
    @DisplayName("settings refuse bad values, all reported at once")
    void settingsValidated() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HubSettings.builder().maxSocketsPerUser(0)
                        .authTimeout(Duration.ZERO).build())
                .isInstanceOf(io.carechat.messaging.error.ConfigurationException.class)
                .hasMessageContaining("maxSocketsPerUser").hasMessageContaining("authTimeout");
    }

    @Test
    @DisplayName("the builder lists every missing part")
    void builderValidated() {
        ScheduledExecutorService unused = Executors.newSingleThreadScheduledExecutor();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Hub.builder().scheduler(unused).build())
                    .isInstanceOf(io.carechat.messaging.error.ConfigurationException.class)
                    .hasMessageContaining("messaging").hasMessageContaining("tokenVerifier")
                    .hasMessageContaining("eventBus").hasMessageContaining("workers");
        } finally {
            unused.shutdownNow();
        }
    }
}

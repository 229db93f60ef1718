package io.carechat.messaging.websocket.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationKind;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Presence;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.ReceiptKind;
import io.carechat.messaging.model.Role;
import io.carechat.messaging.model.RoleRequestId;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.protocol.ServerFrame;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The client's listener dispatch")
class ListenerDispatchTest {
    private static final ConversationId CONV = ConversationId.of("c1");
    private static final UserId ANN = UserId.of("ann");
    private static final UserId BOB = UserId.of("bob");
    private static final Instant AT = Instant.parse("2026-11-25T08:00:00Z");
    private static final MessageView MESSAGE = new MessageView(MessageId.of("m1"), CONV, 1, BOB, "hi",
            Priority.NORMAL, AT, null, List.of());

    private final List<String> calls = new ArrayList<>();
    private final CareChatListener recorder = (CareChatListener) Proxy.newProxyInstance(
            CareChatListener.class.getClassLoader(), new Class<?>[] {CareChatListener.class},
            (proxy, method, args) -> {
                calls.add(method.getName() + "(" + args[0] + ")");
                return null;
            });

    /** One frame of every server frame type. */
    private static List<ServerFrame> everyFrame() {
        return List.of(
                new ServerFrame.Ready(null, BOB, Set.of(Role.DOCTOR), List.of(), 0),
                new ServerFrame.Message(MESSAGE),
                new ServerFrame.Sent("r1", MESSAGE),
                new ServerFrame.Receipt(CONV, BOB, ReceiptKind.READ, 1),
                new ServerFrame.Unread(CONV, 0, 0),
                new ServerFrame.Conversation("r2",
                        new Conversation(CONV, ConversationKind.DIRECT, List.of(ANN, BOB), AT), List.of()),
                new ServerFrame.History("r3", CONV, List.of(MESSAGE), false),
                new ServerFrame.Conversations("r4", List.of()),
                new ServerFrame.Contacts("r5", List.of()),
                new ServerFrame.Typing(CONV, BOB),
                new ServerFrame.Members(CONV, List.of()),
                new ServerFrame.Presence(BOB, Presence.BUSY),
                new ServerFrame.Notice(RoleRequestId.of("rr1"), BOB, Role.DOCTOR, AT),
                new ServerFrame.BreakGlassNotice("grant-1", CONV, BOB, AT, AT.plusSeconds(60)),
                new ServerFrame.EscalationNotice(CONV, 1),
                new ServerFrame.Ok("r6"),
                new ServerFrame.Pong("r7"),
                new ServerFrame.Error("r8", ErrorCode.NOT_FOUND, "no such conversation"),
                new ServerFrame.Recalled(CONV, 1, AT));
    }

    @Test
    @DisplayName("every server frame type reaches the listener method named after it")
    void everyFrameToItsMethod() {
        assertThat(everyFrame().stream().map(Object::getClass).collect(Collectors.toSet()))
                .as("the frames cover every permitted type")
                .containsExactlyInAnyOrder(ServerFrame.class.getPermittedSubclasses());
        ListenerDispatch dispatch = new ListenerDispatch(recorder, Runnable::run);

        for (ServerFrame frame : everyFrame()) {
            calls.clear();
            dispatch.frame(frame);
            Object argument = frame instanceof ServerFrame.Message m ? m.message() : frame;
            assertThat(calls).containsExactly("on" + frame.getClass().getSimpleName() + "(" + argument + ")");
        }
    }

    @Test
    @DisplayName("a task that throws is logged and later tasks still run, in order")
    void failingTaskDoesNotStopLaterOnes() {
        ListenerDispatch dispatch = new ListenerDispatch(recorder, Runnable::run);

        dispatch.run(() -> {
            throw new IllegalStateException("listener bug");
        });
        dispatch.run(() -> dispatch.disconnected(1001, "server_shutdown"));

        assertThat(calls).containsExactly("onDisconnected(1001)");
    }
}

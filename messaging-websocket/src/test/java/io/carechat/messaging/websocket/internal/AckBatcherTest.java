package io.carechat.messaging.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.ConversationKind;
import io.carechat.messaging.model.MessageId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.protocol.ClientFrame;
import io.carechat.messaging.protocol.ConversationView;
import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.protocol.ServerFrame;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The batcher on a timer that runs nothing, so each test flushes when it chooses and sees exactly
 * what one flush sends.
 */
@DisplayName("The client's acknowledgement batching")
class AckBatcherTest {
    private static final ConversationId A = ConversationId.of("a");
    private static final ConversationId B = ConversationId.of("b");
    private static final UserId BOB = UserId.of("bob");
    private static final Instant AT = Instant.parse("2026-11-25T08:00:00Z");

    private final List<ClientFrame> sent = new ArrayList<>();
    private final AckBatcher acks = new AckBatcher(new Object(), stoppedTimer(), sent::add);

    private static ScheduledExecutorService stoppedTimer() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        timer.shutdown();
        return timer;
    }

    private static MessageView message(ConversationId conversation, long seq) {
        return new MessageView(MessageId.of("m" + seq), conversation, seq, BOB, "body", Priority.NORMAL, AT, null,
                List.of());
    }

    private static ConversationView delivered(ConversationId conversation, long deliveredSeq) {
        return new ConversationView(conversation, ConversationKind.DIRECT, List.of(BOB), List.of(), AT, deliveredSeq,
                AT, deliveredSeq, 0, 0);
    }

    @Test
    @DisplayName("messages from message, sent and history frames gather into one delivered per conversation")
    void gathersPerConversation() {
        acks.hold(new ServerFrame.Message(message(A, 1)));
        acks.hold(new ServerFrame.Sent("r1", message(A, 2)));
        acks.hold(new ServerFrame.History("r2", B, List.of(message(B, 1), message(B, 2), message(B, 3)), false));
        acks.hold(new ServerFrame.Pong("r3"));

        acks.flush();

        assertThat(sent).containsExactly(new ClientFrame.Delivered(null, A, 2), new ClientFrame.Delivered(null, B, 3));
    }

    @Test
    @DisplayName("a gap holds the acknowledgement back until the missing message arrives")
    void gapHoldsBack() {
        acks.hold(new ServerFrame.Message(message(A, 1)));
        acks.hold(new ServerFrame.Message(message(A, 3)));
        acks.flush();
        assertThat(sent).containsExactly(new ClientFrame.Delivered(null, A, 1));

        sent.clear();
        acks.hold(new ServerFrame.Message(message(A, 2)));
        acks.flush();
        assertThat(sent).containsExactly(new ClientFrame.Delivered(null, A, 3));
    }

    @Test
    @DisplayName("a new session starts from the delivered positions of its ready and drops what was gathered")
    void restartsFromReady() {
        acks.hold(new ServerFrame.Message(message(A, 1)));

        acks.restart(List.of(delivered(A, 5)));
        acks.hold(new ServerFrame.Message(message(A, 5)));
        acks.flush();
        assertThat(sent).isEmpty();

        acks.hold(new ServerFrame.Message(message(A, 6)));
        acks.flush();
        assertThat(sent).containsExactly(new ClientFrame.Delivered(null, A, 6));
    }
}

package io.carechat.messaging.websocket.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.model.Priority;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.protocol.ClientFrame;
import io.carechat.messaging.protocol.ServerFrame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The client's pending requests")
class PendingRequestsTest {
    private static final ConversationId CONV = ConversationId.of("c1");

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final CompletableFuture<ClientFrame.Send> resent = new CompletableFuture<>();
    private final PendingRequests requests = new PendingRequests(new Object(), timer,
            new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), bound -> bound), Duration.ofMinutes(1),
            resent::complete);

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private ClientFrame.Send send(String ref) {
        return new ClientFrame.Send(ref, CONV, "m-" + ref, "body", Priority.NORMAL, List.of());
    }

    @Test
    @DisplayName("a reply completes the request with its ref; an error completes it with its code")
    void repliesMatchByRef() {
        CompletableFuture<ServerFrame> ping = requests.addRequest("r1");
        CompletableFuture<ServerFrame> open = requests.addRequest("r2");

        requests.answer(new ServerFrame.Error("r2", ErrorCode.NOT_FOUND, "no such user")).run();
        requests.answer(new ServerFrame.Pong("r1")).run();

        assertThat(ping).isCompletedWithValue(new ServerFrame.Pong("r1"));
        assertThat(open).isCompletedExceptionally();
        assertThat(open.handle((f, e) -> e).join()).isInstanceOfSatisfying(ServerErrorException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    @DisplayName("a frame that answers no waiting request changes nothing")
    void pushesAnswerNothing() {
        CompletableFuture<ServerFrame> ping = requests.addRequest("r1");

        requests.answer(new ServerFrame.Typing(CONV, UserId.of("bob"))).run();
        requests.answer(new ServerFrame.Pong("unknown")).run();

        assertThat(ping).isNotDone();
    }

    @Test
    @DisplayName("a send answered unavailable stays and goes again after the backoff")
    void unavailableSendIsRetried() throws Exception {
        ClientFrame.Send frame = send("s1");
        CompletableFuture<ServerFrame> reply = requests.addSend(frame);

        requests.answer(new ServerFrame.Error("s1", ErrorCode.UNAVAILABLE, "storage is down")).run();

        assertThat(resent.get(10, TimeUnit.SECONDS)).isEqualTo(frame);
        assertThat(reply).isNotDone();
        assertThat(requests.sends()).containsExactly(frame);
    }

    @Test
    @DisplayName("a lost connection ends every request but the sends, which wait for the next ready")
    void sendsOutliveALostConnection() {
        CompletableFuture<ServerFrame> ping = requests.addRequest("r1");
        ClientFrame.Send frame = send("s1");
        CompletableFuture<ServerFrame> reply = requests.addSend(frame);

        assertThat(requests.endLost(true)).containsExactly(ping);
        assertThat(requests.sends()).containsExactly(frame);

        assertThat(requests.endAll()).containsExactly(reply);
        assertThat(requests.sends()).isEmpty();
    }

    @Test
    @DisplayName("a request without a reply in time fails with a timeout and is forgotten")
    void requestsTimeOut() {
        PendingRequests quick = new PendingRequests(new Object(), timer,
                new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), bound -> bound), Duration.ofMillis(1),
                resent::complete);

        CompletableFuture<ServerFrame> ping = quick.addRequest("r1");

        assertThat(ping.handle((f, e) -> e instanceof CompletionException ? e.getCause() : e).join())
                .isInstanceOf(TimeoutException.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (quick.waiting() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(quick.waiting()).as("the timed-out request is forgotten (on the timer thread, after the caller hears)")
                .isZero();
    }
}

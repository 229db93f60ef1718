package io.carechat.messaging.hub;

import static io.carechat.messaging.hub.HubFixture.ANN;
import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.hub.HubFixture.Client;
import io.carechat.messaging.protocol.ClientFrame;
import io.carechat.messaging.protocol.ServerFrame;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link HubSession#drain()}: a session stops taking frames and tells when it has answered the ones
 * it took. Workers that only queue until the test runs them show what waits for what.
 */
@DisplayName("Draining a session")
class HubDrainTest {
    private final QueueExecutor workers = new QueueExecutor();
    private final HubFixture fixture = new HubFixture(
            HubSettings.builder().timerInterval(Duration.ofHours(1)).build(), workers);

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private Client connected() {
        Client ann = fixture.connect(ANN);
        workers.runAll();
        assertThat(ann.connection().frames(ServerFrame.Ready.class)).hasSize(1);
        return ann;
    }

    private static CompletableFuture<Void> drain(Client client) {
        return client.session().drain().toCompletableFuture();
    }

    @Test
    @DisplayName("completes once every frame taken before it is answered, and not before")
    void waitsForEarlierFrames() {
        Client ann = connected();
        ann.sendFrame(new ClientFrame.Ping("p1"));
        ann.sendFrame(new ClientFrame.Ping("p2"));

        CompletableFuture<Void> drained = drain(ann);
        assertThat(drained).as("two pings are still queued").isNotDone();

        workers.runAll();
        assertThat(drained).isCompleted();
        assertThat(ann.connection().frames(ServerFrame.Pong.class)).extracting(ServerFrame.Pong::ref)
                .containsExactly("p1", "p2");
    }

    @Test
    @DisplayName("ignores frames handed over after it, leaving them unanswered")
    void ignoresLaterFrames() {
        Client ann = connected();
        ann.sendFrame(new ClientFrame.Ping("before"));
        CompletableFuture<Void> drained = drain(ann);
        ann.sendFrame(new ClientFrame.Ping("after"));

        workers.runAll();
        assertThat(drained).isCompleted();
        assertThat(ann.connection().frames(ServerFrame.Pong.class)).extracting(ServerFrame.Pong::ref)
                .containsExactly("before");
        assertThat(ann.connection().isClosed()).as("draining does not close the socket").isFalse();
    }

    @Test
    @DisplayName("waits for an authentication by header still in progress, so ready goes out first")
    void waitsForAuthentication() {
        Client ann = fixture.connect(ANN);
        CompletableFuture<Void> drained = drain(ann);
        assertThat(drained).isNotDone();

        workers.runAll();
        assertThat(drained).isCompleted();
        assertThat(ann.connection().frames(ServerFrame.Ready.class)).hasSize(1);
    }

    @Test
    @DisplayName("completes at once when nothing is waiting, and again when asked twice")
    void nothingWaiting() {
        Client ann = connected();

        CompletableFuture<Void> first = drain(ann);
        workers.runAll();
        assertThat(first).isCompleted();
        assertThat(drain(ann)).isCompleted();
    }

    @Test
    @DisplayName("completes when the session closes before its frames are answered")
    void completesOnClose() {
        Client ann = connected();
        ann.sendFrame(new ClientFrame.Ping("p1"));
        CompletableFuture<Void> drained = drain(ann);

        ann.connection().close(1006, "dropped");
        assertThat(drained).isCompleted();
    }

    @Test
    @DisplayName("completes at once for a session that is already closed")
    void closedSession() {
        Client ann = connected();
        ann.connection().close(1006, "dropped");

        assertThat(drain(ann)).isCompleted();
    }
}

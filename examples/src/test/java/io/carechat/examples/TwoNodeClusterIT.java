package io.carechat.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.carechat.messaging.model.Conversation;
import io.carechat.messaging.model.UserId;
import io.carechat.messaging.protocol.MessageView;
import io.carechat.messaging.tck.transport.RawWebSocket;
import io.carechat.messaging.websocket.client.CareChatClient;
import io.carechat.messaging.websocket.client.CareChatListener;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two demo servers on one database form a cluster: on PostgreSQL through its event bus
 * (LISTEN/NOTIFY) and through NATS JetStream ({@code CARECHAT_NATS_URL}, a stream of the test's
 * own, deleted afterwards), and on MariaDB through NATS. A patient connected to one node and a
 * doctor connected to the other chat live, and a logout on one node ends the user's socket on the
 * other. Each run needs its database ({@code CARECHAT_TEST_POSTGRES_URL},
 * {@code CARECHAT_TEST_MARIADB_URL}) and, for NATS, a NATS server with JetStream
 * ({@link NatsServer}); a run whose service is missing is skipped with a message, unless
 * {@code CARECHAT_REQUIRE_POSTGRES}, {@code CARECHAT_REQUIRE_MARIADB} or {@code CARECHAT_REQUIRE_NATS}
 * is 1.
 */
class TwoNodeClusterIT {

    @TempDir
    Path workDir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(SharedCluster.Kind.class)
    @DisplayName("users connected to different nodes on one database chat live, both ways; a logout on one node"
            + " closes the user's socket on the other and its token is refused there")
    void usersOnDifferentNodesChatLive(SharedCluster.Kind kind) throws Exception {
        try (SharedCluster cluster = SharedCluster.create(kind, "carechat_cluster_")) {
            Map<String, String> shared = cluster.nodeSettings();
            shared.put("CARECHAT_JWT_SECRET", "a shared cluster signing key of 32+ bytes");
            shared.put("CARECHAT_KEYS", "cluster-1:" + java.util.Base64.getEncoder().encodeToString(new byte[32]));
            shared.put("CARECHAT_ADMIN_PASSWORD", "cluster-root-passphrase");
            shared.put("CARECHAT_DEMO_DATA", "true");
            chatAcrossNodes(shared);
        }
    }

    private void chatAcrossNodes(Map<String, String> shared) throws Exception {
        Path one = Files.createDirectories(workDir.resolve("node-1"));
        Path two = Files.createDirectories(workDir.resolve("node-2"));
        try (DemoProcess node1 = DemoProcess.start(one, shared);
                DemoProcess node2 = DemoProcess.start(two, shared)) {
            String patientToken = token(node1, "sam");
            String doctorToken = token(node2, "dr.grey");
            UserId doctorId = UserId.of(new Http(node2.baseUrl()).get("/api/me", doctorToken).body()
                    .path("user").path("id").asText());

            BlockingQueue<MessageView> doctorInbox = new LinkedBlockingQueue<>();
            BlockingQueue<MessageView> patientInbox = new LinkedBlockingQueue<>();
            try (CareChatClient doctor = client(node2, doctorToken, doctorInbox);
                    CareChatClient patient = client(node1, patientToken, patientInbox)) {
                doctor.connect().get(20, TimeUnit.SECONDS);
                patient.connect().get(20, TimeUnit.SECONDS);

                Conversation chat = patient.open(doctorId).get(20, TimeUnit.SECONDS);
                patient.send(chat.id(), "Sent through node 1").get(20, TimeUnit.SECONDS);
                MessageView received = doctorInbox.poll(30, TimeUnit.SECONDS);
                assertThat(received).as("the doctor on node 2 gets the message live").isNotNull();
                assertThat(received.body()).isEqualTo("Sent through node 1");

                doctor.send(chat.id(), "Answered through node 2").get(20, TimeUnit.SECONDS);
                MessageView answer = patientInbox.poll(30, TimeUnit.SECONDS);
                assertThat(answer).as("the patient on node 1 gets the answer live").isNotNull();
                assertThat(answer.body()).isEqualTo("Answered through node 2");
                assertThat(answer.seq()).isEqualTo(2);
            }
            logoutOnOneNodeReachesTheOther(node1, node2);
        }
    }

    private static void logoutOnOneNodeReachesTheOther(DemoProcess nodeA, DemoProcess nodeB) throws Exception {
        String alex = token(nodeA, "alex");
        Http onB = new Http(nodeB.baseUrl());
        assertThat(onB.get("/api/conversations", alex).status()).isEqualTo(200);
        try (RawWebSocket socketOnB = RawWebSocket.upgrade(nodeB.wsPort, "/ws", Map.of("Authorization", "Bearer " + alex))) {
            assertThat(socketOnB.readText()).contains("\"ready\"");
            assertThat(new Http(nodeA.baseUrl()).post("/api/auth/logout", alex, Http.json(Map.of())).status())
                    .isEqualTo(204);
            RawWebSocket.Frame closed = socketOnB.awaitClose();
            assertThat(closed.closeCode()).as("closed by node B when the bus brings the logout").isEqualTo(4401);
            assertThat(closed.closeReason()).isEqualTo("logged_out");
        }
        int status = onB.get("/api/conversations", alex).status();
        for (int i = 0; i < 100 && status != 401; i++) {
            Thread.sleep(100);
            status = onB.get("/api/conversations", alex).status();
        }
        assertThat(status).as("the old token on node B").isEqualTo(401);
    }

    private static String token(DemoProcess node, String username) {
        Http.Answer login = new Http(node.baseUrl()).post("/api/auth/login", null,
                Http.json(Map.of("login", username, "password", Seeding.DEMO_PASSWORD)));
        assertThat(login.status()).isEqualTo(200);
        return login.body().path("accessToken").asText();
    }

    private static CareChatClient client(DemoProcess node, String token, BlockingQueue<MessageView> inbox) {
        return CareChatClient.builder()
                .uri(URI.create("ws://127.0.0.1:" + node.wsPort + "/ws"))
                .tokenSupplier(() -> token)
                .listener(new CareChatListener() {
                    @Override
                    public void onMessage(MessageView message) {
                        inbox.add(message);
                    }
                })
                .build();
    }
}

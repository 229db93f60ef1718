package io.carechat.messaging.nats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.NKey;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The module leaves out the client's own Bouncy Castle jar ({@code bcprov-lts8on}) for the one
 * messaging-core brings ({@code bcprov-jdk18on}); NKey authentication must still sign.
 */
@DisplayName("NATS NKeys on messaging-core's Bouncy Castle")
class NKeySigningTest {

    @Test
    @DisplayName("the NATS client creates an NKey and signs and verifies with it")
    void signsWithCoreBouncyCastle() throws Exception {
        NKey key = NKey.createUser(null);
        byte[] nonce = "a server nonce".getBytes(UTF_8);

        byte[] signature = key.sign(nonce);

        assertThat(NKey.fromPublicKey(key.getPublicKey()).verify(nonce, signature)).isTrue();
        assertThat(key.getPublicKey()).isNotEmpty();
    }
}

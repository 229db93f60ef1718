package io.carechat.messaging.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carechat.messaging.crypto.FieldCipher.FieldContext;
import io.carechat.messaging.error.ErrorCode;
import io.carechat.messaging.error.IntegrityException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("FieldCipher")
class FieldCipherTest {
    private static final String SECRET = "blood pressure 180/110, call me";
    private static final FieldContext ROW_A = FieldContext.of("message.body", "conv-1", "msg-1");
    private static final FieldContext ROW_B = FieldContext.of("message.body", "conv-1", "msg-2");

    private final StaticKeyProvider keys = StaticKeyProvider.generate("k1");
    private final FieldCipher cipher = new FieldCipher(keys);

    private static byte[] raw(String sealed) {
        return Base64.getDecoder().decode(sealed);
    }

    private static String text(byte[] raw) {
        return Base64.getEncoder().encodeToString(raw);
    }

    private void assertRefused(String sealed, FieldContext context) {
        assertThatThrownBy(() -> cipher.openText(sealed, context))
                .isInstanceOfSatisfying(IntegrityException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                .message().doesNotContain(SECRET);
    }

    @Test
    @DisplayName("a sealed value opens to the original, and does not contain it")
    void roundTrip() {
        String sealed = cipher.sealText(SECRET, ROW_A);
        assertThat(cipher.openText(sealed, ROW_A)).isEqualTo(SECRET);
        assertThat(new String(raw(sealed), StandardCharsets.ISO_8859_1)).doesNotContain("blood");
    }

    @Test
    @DisplayName("the format is version 2, the key id, a 96-bit nonce, then ciphertext and a 128-bit tag")
    void format() {
        byte[] sealed = raw(cipher.sealText(SECRET, ROW_A));
        assertThat(sealed[0]).isEqualTo((byte) 2);
        assertThat(sealed[1]).isEqualTo((byte) 2);
        assertThat(new String(sealed, 2, 2, StandardCharsets.US_ASCII)).isEqualTo("k1");
        assertThat(sealed).hasSize(2 + 2 + 12 + SECRET.getBytes(StandardCharsets.UTF_8).length + 16);
        assertThat(FieldCipher.keyIdOf(text(sealed))).isEqualTo("k1");
    }

    @Test
    @DisplayName("the same text sealed twice differs (a fresh random nonce each time)")
    void freshNonce() {
        assertThat(cipher.sealText(SECRET, ROW_A)).isNotEqualTo(cipher.sealText(SECRET, ROW_A));
    }

    @Test
    @DisplayName("a value copied to another row, or another field, does not open")
    void rowSwap() {
        String sealed = cipher.sealText(SECRET, ROW_A);
        assertRefused(sealed, ROW_B);
        assertRefused(sealed, FieldContext.of("attachment.content", "conv-1", "msg-1"));
    }

    @Test
    @DisplayName("a changed ciphertext, nonce, tag, key id, version or length is refused with an integrity error")
    void everyTamperCase() {
        byte[] good = raw(cipher.sealText(SECRET, ROW_A));
        int nonceAt = 4;
        int bodyAt = nonceAt + 12;
        int tagAt = good.length - 16;
        for (int position : new int[] {bodyAt, nonceAt, tagAt, good.length - 1}) {
            byte[] bad = good.clone();
            bad[position] ^= 0x01;
            assertRefused(text(bad), ROW_A);
        }
        byte[] otherKeyId = good.clone();
        otherKeyId[3] = '2';
        assertRefused(text(otherKeyId), ROW_A);
        for (byte version : new byte[] {1, 3}) {
            byte[] otherVersion = good.clone();
            otherVersion[0] = version;
            assertRefused(text(otherVersion), ROW_A);
        }
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
        assertRefused(text(truncated), ROW_A);
        assertRefused("%%% not base64 %%%", ROW_A);
    }

    @Test
    @DisplayName("a key id the provider does not hold is an explicit integrity error naming that cause")
    void unknownKey() {
        String sealed = new FieldCipher(StaticKeyProvider.generate("gone")).sealText(SECRET, ROW_A);
        assertThatThrownBy(() -> cipher.openText(sealed, ROW_A))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining("key the key provider does not hold");
    }

    @Test
    @DisplayName("after a rotation new values use the new key and old ones still open")
    void rotation() {
        String old = cipher.sealText(SECRET, ROW_A);
        FieldCipher rotated = new FieldCipher(keys.withNewKey("k2"));
        String fresh = rotated.sealText(SECRET, ROW_A);
        assertThat(FieldCipher.keyIdOf(fresh)).isEqualTo("k2");
        assertThat(rotated.openText(old, ROW_A)).isEqualTo(SECRET);
        assertThat(rotated.openText(fresh, ROW_A)).isEqualTo(SECRET);
    }

    @Test
    @DisplayName("version 2 binds the row's further columns: the same ids with one bound value changed do not open")
    void boundColumns() {
        FieldContext sent = new FieldContext("message.body", List.of("conv-1", "msg-1"), List.of("1", "doctor", "NORMAL"));
        String sealed = cipher.sealText(SECRET, sent);
        assertThat(cipher.openText(sealed, sent)).isEqualTo(SECRET);
        assertRefused(sealed, new FieldContext("message.body", List.of("conv-1", "msg-1"), List.of("2", "doctor", "NORMAL")));
        assertRefused(sealed, new FieldContext("message.body", List.of("conv-1", "msg-1"), List.of("1", "patient", "NORMAL")));
        assertRefused(sealed, new FieldContext("message.body", List.of("conv-1", "msg-1"), List.of("1", "doctor", "URGENT")));
        assertRefused(sealed, ROW_A);
    }

    @Test
    @DisplayName("a value sealed in the version 1 format, owner ids only, still opens, and is not current")
    void legacyVersionOpens() throws Exception {
        byte[] nonce = new byte[12];
        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, keys.key("k1").orElseThrow(), new GCMParameterSpec(128, nonce));
        aes.updateAAD("carechat|v1|k1|message.body|6:conv-1|5:msg-1".getBytes(StandardCharsets.UTF_8));
        byte[] body = aes.doFinal(SECRET.getBytes(StandardCharsets.UTF_8));
        String legacy = text(ByteBuffer.allocate(2 + 2 + 12 + body.length)
                .put((byte) 1).put((byte) 2).put("k1".getBytes(StandardCharsets.US_ASCII)).put(nonce).put(body).array());
        FieldContext bound = new FieldContext("message.body", List.of("conv-1", "msg-1"), List.of("1", "doctor"));
        assertThat(cipher.openText(legacy, bound)).isEqualTo(SECRET);
        assertThat(FieldCipher.isCurrent(legacy, "k1")).isFalse();
        assertThat(FieldCipher.isCurrent(cipher.sealText(SECRET, bound), "k1")).isTrue();
    }
}

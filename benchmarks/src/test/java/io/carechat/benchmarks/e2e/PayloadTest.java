package io.carechat.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PayloadTest {

    @Test
    @DisplayName("a body is 300 plain ASCII characters that need no JSON escaping")
    void bodyShape() {
        String body = Payload.body(12, Long.MIN_VALUE + 1);
        assertThat(body).hasSize(Payload.BODY_CHARS);
        assertThat(body.chars()).allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\');
    }

    @Test
    @DisplayName("the receiver reads the step and intended time back from a CareChat frame, a Socket.IO event or a raw frame")
    void readsStampInsideAnyFrame() {
        long intended = 987_654_321_012L;
        String body = Payload.body(3, intended);
        Payload.Stamp expected = new Payload.Stamp(3, intended);
        assertThat(Payload.read(body)).isEqualTo(expected);
        assertThat(Payload.read("{\"type\":\"message\",\"message\":{\"seq\":7,\"body\":\"" + body + "\"}}"))
                .isEqualTo(expected);
        assertThat(Payload.read(EngineIo.event("msg", body))).isEqualTo(expected);
        assertThat(Payload.read(Payload.body(4, -5))).isEqualTo(new Payload.Stamp(4, -5));
    }

    @Test
    @DisplayName("frames without a benchmark body, or with a damaged stamp, yield nothing")
    void ignoresOtherFrames() {
        assertThat(Payload.read("{\"type\":\"receipt\",\"seq\":3}")).isNull();
        assertThat(Payload.read("ccbench:x:12:rest")).isNull();
        assertThat(Payload.read("ccbench:1:12")).isNull();
    }
}

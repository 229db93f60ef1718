package io.carechat.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EngineIoTest {

    @Test
    @DisplayName("the packets of a Socket.IO 4 session over WebSocket are told apart")
    void kinds() {
        assertThat(EngineIo.kind("0{\"sid\":\"abc\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,"
                + "\"maxPayload\":1000000}")).isEqualTo(EngineIo.Kind.OPEN);
        assertThat(EngineIo.kind("40{\"sid\":\"xyz\"}")).isEqualTo(EngineIo.Kind.CONNECTED);
        assertThat(EngineIo.kind("40")).isEqualTo(EngineIo.Kind.CONNECTED);
        assertThat(EngineIo.kind("42[\"msg\",\"hello\"]")).isEqualTo(EngineIo.Kind.EVENT);
        assertThat(EngineIo.kind("44{\"message\":\"refused\"}")).isEqualTo(EngineIo.Kind.CONNECT_ERROR);
        assertThat(EngineIo.kind("2")).isEqualTo(EngineIo.Kind.PING);
        assertThat(EngineIo.kind("1")).isEqualTo(EngineIo.Kind.CLOSE);
        assertThat(EngineIo.kind("2probe")).isEqualTo(EngineIo.Kind.OTHER);
        assertThat(EngineIo.kind("")).isEqualTo(EngineIo.Kind.OTHER);
        assertThat(EngineIo.kind("4")).isEqualTo(EngineIo.Kind.OTHER);
        assertThat(EngineIo.CONNECT).isEqualTo("40");
        assertThat(EngineIo.PONG).isEqualTo("3");
    }

    @Test
    @DisplayName("an event is encoded as 42[\"name\",\"text\"] and its name read back")
    void events() {
        String packet = EngineIo.event("msg", "ccbench:1:2:lorem");
        assertThat(packet).isEqualTo("42[\"msg\",\"ccbench:1:2:lorem\"]");
        assertThat(EngineIo.eventName(packet)).isEqualTo("msg");
        assertThat(EngineIo.eventName("40")).isNull();
    }

    @Test
    @DisplayName("text that would need JSON escaping is refused rather than sent broken")
    void refusesEscaping() {
        assertThatThrownBy(() -> EngineIo.event("msg", "a \"quoted\" body")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EngineIo.event("msg", "line\nbreak")).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.carechat.messaging.hub;

import static io.carechat.messaging.hub.HubFixture.ANN;
import static io.carechat.messaging.hub.HubFixture.DOCTOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carechat.messaging.hub.HubFixture.Client;
import io.carechat.messaging.model.ConversationId;
import io.carechat.messaging.protocol.FrameException;
import io.carechat.messaging.protocol.ServerFrame;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;

/**
 * Throws random, well-formed and mutated frames at an authenticated session of a hub on real
 * in-memory storage. Frames carry {@code {REF}} and {@code {CONV}} placeholders, filled in per run
 * with a unique ref and the id of a conversation the user belongs to.
 */
class HubFuzzProperties {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TYPES = List.of("auth", "open", "send", "delivered", "read", "history",
            "conversations", "contacts", "typing", "presence", "ping", "subscribe", "");

    @Property(tries = 150)
    @Label("the hub never throws, never closes an authenticated session, and answers every frame that has a ref")
    void fuzz(@ForAll("frameBatches") List<String> templates) {
        try (HubFixture fixture = new HubFixture()) {
            ConversationId conversation = fixture.messaging.openDirect(fixture.caller(DOCTOR), ANN).id();
            Client ann = fixture.connect(ANN);
            Map<String, Integer> expected = new HashMap<>();
            int number = 0;
            for (String template : templates) {
                String text = template.replace("{CONV}", conversation.value()).replace("{REF}", "r" + number++);
                String ref = refOf(text);
                if (ref != null) {
                    expected.merge(ref, 1, Integer::sum);
                }
                assertThatCode(() -> ann.session().onText(text)).doesNotThrowAnyException();
                assertThat(ann.connection().isClosed()).as("closed after %s", text).isFalse();
            }
            Map<String, Integer> answered = new HashMap<>();
            for (ServerFrame frame : ann.connection().frames()) {
                String ref = frame.ref();
                if (ref != null) {
                    answered.merge(ref, 1, Integer::sum);
                }
            }
            assertThat(answered).isEqualTo(expected);
        }
    }

    private static @Nullable String refOf(String text) {
        try {
            return HubFixture.CODEC.decodeClient(text).ref();
        } catch (FrameException e) {
            return e.ref();
        }
    }

    @Provide
    Arbitrary<List<String>> frameBatches() {
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, wellFormed()),
                        net.jqwik.api.Tuple.of(2, loose()),
                        net.jqwik.api.Tuple.of(2, mutated()),
                        net.jqwik.api.Tuple.of(1, noise()))
                .list().ofMinSize(1).ofMaxSize(20);
    }

    /** Frames of the contract with valid fields, sometimes with an unknown extra field. */
    private Arbitrary<String> wellFormed() {
        Arbitrary<String> conversation = Arbitraries.of("{CONV}", "{CONV}", "{CONV}", "other-conversation");
        Arbitrary<Long> seq = Arbitraries.longs().between(0, 12);
        Arbitrary<Map<String, Object>> typed = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).map(t -> fields("type", "auth", "token", t)),
                Arbitraries.of("dr-house", "pat-ben", "adm-ada", "nobody").map(w -> fields("type", "open", "with", w)),
                Combinators.combine(conversation, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6),
                                Arbitraries.strings().ofMaxLength(30), Arbitraries.of("normal", "urgent"))
                        .as((c, id, text, priority) -> fields("type", "send", "conversationId", c, "clientMsgId", id,
                                "body", text, "priority", priority)),
                Combinators.combine(Arbitraries.of("delivered", "read"), conversation, seq)
                        .as((t, c, n) -> fields("type", t, "conversationId", c, "seq", n)),
                Combinators.combine(conversation, Arbitraries.integers().between(1, 100), seq)
                        .as((c, n, before) -> fields("type", "history", "conversationId", c, "limit", n,
                                "beforeSeq", before)),
                conversation.map(c -> fields("type", "typing", "conversationId", c)),
                Arbitraries.of("available", "busy", "away").map(status -> fields("type", "presence", "status", status)),
                Arbitraries.of("conversations", "contacts", "ping").map(t -> fields("type", t)));
        return Combinators.combine(typed, Arbitraries.of(true, true, false), Arbitraries.integers().between(0, 4))
                .as((fields, ref, extra) -> {
                    Map<String, Object> frame = new LinkedHashMap<>(fields);
                    if (ref) {
                        frame.put("ref", "{REF}");
                    }
                    if (extra == 0) {
                        frame.put("clientVersion", List.of(1, "x"));
                    }
                    return write(frame);
                });
    }

    /** A type, maybe unknown, with random fields of random JSON types. */
    private Arbitrary<String> loose() {
        Arbitrary<Map<String, Object>> fields = Arbitraries.maps(Arbitraries.of("conversationId", "clientMsgId",
                "body", "seq", "with", "limit", "beforeSeq", "status", "token", "priority", "attachments"), value())
                .ofMaxSize(5);
        return Combinators.combine(Arbitraries.of(TYPES), Arbitraries.of(true, false), fields).as((t, ref, extra) -> {
            Map<String, Object> frame = new LinkedHashMap<>();
            frame.put("type", t);
            if (ref) {
                frame.put("ref", "{REF}");
            }
            frame.putAll(extra);
            return write(frame);
        });
    }

    private static Map<String, Object> fields(Object... keysAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            fields.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return fields;
    }

    private Arbitrary<Object> value() {
        return Arbitraries.oneOf(
                Arbitraries.of("{CONV}", "dr-house", "pat-ben", "nobody", "available", "urgent", "normal", "", "5"),
                Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
                Arbitraries.longs().map(n -> (Object) n),
                Arbitraries.integers().between(-2, 120).map(n -> (Object) n),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(List.of("att-1", 2)),
                Arbitraries.just(Map.of("nested", List.of(1, 2))));
    }

    private Arbitrary<String> mutated() {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 500);
        Arbitrary<String> junk = Arbitraries.of("{", "}", "[", "]", "\"", ",", ":", "0", "a", "\\", "null",
                "\"type\":\"ping\",", "1e999", "-", " ", "\u0000", "\ud800");
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 3);
        return Combinators.combine(wellFormed(), position, junk, kind).as((text, at, insert, how) -> {
            int i = Math.min(at, text.length());
            return switch (how) {
                case 0 -> text.substring(0, i);
                case 1 -> text.substring(0, i) + insert + text.substring(i);
                case 2 -> i < text.length() ? text.substring(0, i) + insert + text.substring(i + 1) : text + insert;
                default -> "{" + insert + text.substring(1);
            };
        });
    }

    private Arbitrary<String> noise() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(60),
                Arbitraries.integers().between(1, 200).map(n -> "[".repeat(n) + "]".repeat(n)),
                Arbitraries.integers().between(1, 200).map(n -> "{\"ref\":\"{REF}\",\"type\":\"read\","
                        + "\"conversationId\":\"{CONV}\",\"seq\":1" + "0".repeat(n) + "}"),
                Arbitraries.of("", "null", "[]", "{}", "\"ping\"", "{\"ref\":\"{REF}\"}"));
    }

    private static String write(Map<String, Object> frame) {
        try {
            return JSON.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
